import path from 'node:path';
import { UnsafePathError } from './errors';

/** True when `child` is `root` itself or lies below it (both absolute, already normalised). */
export function isInside(root: string, child: string): boolean {
  const rel = path.relative(root, child);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/**
 * Resolves `relativePath` below `root`, refusing anything that would land outside it
 * (the same rule as Backstage's resolveSafeChildPath, without the Backstage import).
 */
export function resolveSafeChildPath(
  root: string,
  relativePath: string,
): string {
  if (relativePath.includes('\0')) {
    throw new UnsafePathError(
      `path ${JSON.stringify(relativePath)} contains a NUL byte`,
    );
  }
  if (path.isAbsolute(relativePath)) {
    throw new UnsafePathError(
      `path ${JSON.stringify(relativePath)} is absolute`,
    );
  }
  const base = path.resolve(root);
  const full = path.resolve(base, relativePath);
  if (full === base || !isInside(base, full)) {
    throw new UnsafePathError(
      `path ${JSON.stringify(relativePath)} leaves the target`,
    );
  }
  return full;
}

/**
 * Checks one rendered file or folder name. A name is a single segment: a template may not
 * create folders or climb out by rendering `/`, `..` or a NUL byte into a name.
 */
export function assertSafeSegment(segment: string, source: string): void {
  const problem = segmentProblem(segment);
  if (problem) {
    throw new UnsafePathError(
      `name ${JSON.stringify(segment)} (from ${source}) ${problem}`,
    );
  }
}

function segmentProblem(segment: string): string | undefined {
  if (segment === '') return 'is empty';
  if (segment === '.' || segment === '..') return 'is a relative path segment';
  if (segment.includes('\0')) return 'contains a NUL byte';
  if (/[\\/]/.test(segment)) return 'contains a path separator';
  return undefined;
}
