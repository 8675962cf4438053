import fs from 'node:fs';
import path from 'node:path';

/** The repository this CLI ships in (packages/cli/src is three levels below it). */
export const CLI_REPO_ROOT = path.resolve(__dirname, '../../..');

/**
 * The paver repository around `cwd` (the nearest folder above it with a package.json named
 * `paver`), else the repository the CLI itself ships in, so `paver who-owns` works from anywhere.
 */
export function findRepoRoot(cwd: string): string {
  for (let dir = path.resolve(cwd); ; dir = path.dirname(dir)) {
    if (isPaverPackage(dir)) return dir;
    if (path.dirname(dir) === dir) return CLI_REPO_ROOT;
  }
}

function isPaverPackage(dir: string): boolean {
  try {
    return (
      JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'))
        ?.name === 'paver'
    );
  } catch {
    return false;
  }
}

/** `./x` or `x/` relative to `cwd` when inside it, else the absolute path. */
export function displayPath(
  cwd: string,
  target: string,
  trailingSlash = false,
): string {
  const rel = path.relative(cwd, target);
  const outside = rel.startsWith('..') || path.isAbsolute(rel);
  let shown = outside ? target : rel;
  if (rel === '') shown = '.';
  return trailingSlash && !shown.endsWith('/') ? `${shown}/` : shown;
}
