import fs from 'node:fs';
import path from 'node:path';
import { TemplateInvalidError, UnsafeSymlinkError } from './errors';
import { isInside } from './paths';

/** One file of a skeleton or fragment, read into memory at load time. */
export interface SourceFile {
  /** POSIX path inside its layer, as on disk (may hold `{{ }}` and end in `.hbs`). */
  path: string;
  content: Buffer;
}

// Linux follows at most 40 links; a longer chain is a loop for our purposes.
const MAX_LINK_HOPS = 40;

/**
 * Reads every file below `layerDir`. Symlinks are followed only while every hop stays inside
 * `allowedRoot`; their targets are read as plain files, so output never contains a link.
 */
export function readLayer(layerDir: string, allowedRoot: string): SourceFile[] {
  const rootReal = fs.realpathSync(allowedRoot);
  const files: SourceFile[] = [];
  walk(layerDir, '', rootReal, files, new Set([fs.realpathSync(layerDir)]));
  return files;
}

function walk(
  dir: string,
  rel: string,
  rootReal: string,
  out: SourceFile[],
  seen: Set<string>,
) {
  const entries = fs.readdirSync(dir).sort();
  for (const name of entries) {
    const full = path.join(dir, name);
    const relPath = rel ? `${rel}/${name}` : name;
    let stat = fs.lstatSync(full);
    let real = full;
    if (stat.isSymbolicLink()) {
      real = followLink(full, rootReal, relPath);
      stat = fs.statSync(real);
    }
    if (stat.isDirectory()) {
      const key = fs.realpathSync(real);
      if (seen.has(key)) {
        throw new UnsafeSymlinkError(
          `${relPath}: symlink loops back to ${key}`,
        );
      }
      walk(real, relPath, rootReal, out, new Set([...seen, key]));
    } else if (stat.isFile()) {
      out.push({ path: relPath, content: fs.readFileSync(real) });
    } else {
      throw new TemplateInvalidError(
        `${relPath}: only files, folders and symlinks are allowed`,
      );
    }
  }
}

/** Follows a link hop by hop; each hop must exist and stay inside the template. */
function followLink(start: string, rootReal: string, relPath: string): string {
  let current = start;
  for (let hop = 0; hop < MAX_LINK_HOPS; hop++) {
    const target = path.resolve(
      path.dirname(current),
      fs.readlinkSync(current),
    );
    const resolved = realParent(target);
    if (!resolved) {
      throw new UnsafeSymlinkError(
        `${relPath}: symlink is dangling (${target})`,
      );
    }
    if (!isInside(rootReal, resolved)) {
      throw new UnsafeSymlinkError(
        `${relPath}: symlink resolves outside the template (${target})`,
      );
    }
    const stat = lstatOrUndefined(resolved);
    if (!stat) {
      throw new UnsafeSymlinkError(
        `${relPath}: symlink is dangling (${target})`,
      );
    }
    if (!stat.isSymbolicLink()) return resolved;
    current = resolved;
  }
  throw new UnsafeSymlinkError(
    `${relPath}: symlink chain is longer than ${MAX_LINK_HOPS} hops`,
  );
}

// Resolve the folder part through any links, keep the last name: the last hop is checked next.
function realParent(p: string): string | undefined {
  try {
    return path.join(fs.realpathSync(path.dirname(p)), path.basename(p));
  } catch {
    return undefined;
  }
}

function lstatOrUndefined(p: string): fs.Stats | undefined {
  try {
    return fs.lstatSync(p);
  } catch {
    return undefined;
  }
}
