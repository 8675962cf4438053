// What the local provider left in its bare repositories.
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';

import { git } from '@paver/plugin-scaffolder-backend-module-paver/testUtils';

/** Names of the bare repositories (and anything else, e.g. a leftover staging folder) in `<dataDir>/git`. */
export async function gitDirEntries(dataDir: string): Promise<string[]> {
  return (
    await fs.readdir(path.join(dataDir, 'git')).catch(() => [] as string[])
  ).sort();
}

/** `path -> blob id` of every file on `main` of a bare repository. */
export async function pushedTree(bare: string): Promise<Map<string, string>> {
  // -z: paths unquoted, entries NUL-separated.
  const listing = await git([
    '--git-dir',
    bare,
    'ls-tree',
    '-r',
    '-z',
    '--full-tree',
    'refs/heads/main',
  ]);
  return new Map(
    listing
      .split('\0')
      .filter(Boolean)
      .map(line => {
        const [meta, file] = line.split('\t');
        return [file, meta.split(' ')[2]] as [string, string];
      }),
  );
}

/** The blob id git gives `content` (`git hash-object`), to compare a pushed tree with expected bytes. */
export function gitBlobId(content: Buffer): string {
  return createHash('sha1')
    .update(`blob ${content.length}\0`)
    .update(content)
    .digest('hex');
}
