import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { UpgradeError } from '../errors';

/** Labels written on conflict markers: `<<<<<<< yours`, `>>>>>>> billing-service@2.0.0`. */
export interface MergeLabels {
  ours: string;
  base: string;
  theirs: string;
}

/** A three-way text merge; `conflicts` counts the regions written with markers. */
export interface TextMerge {
  content: Buffer;
  conflicts: number;
}

/**
 * Merges with `git merge-file` itself, so a service gets exactly git's semantics (edits on both
 * sides kept, overlapping edits marked) rather than an approximation of them.
 */
export async function mergeText(
  ours: Buffer,
  base: Buffer,
  theirs: Buffer,
  labels: MergeLabels,
): Promise<TextMerge> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'paver-merge-'));
  try {
    const files = ['ours', 'base', 'theirs'].map(n => path.join(dir, n));
    await Promise.all(
      [ours, base, theirs].map((c, i) => fs.writeFile(files[i], c)),
    );
    const args = ['merge-file', '-p'];
    for (const label of [labels.ours, labels.base, labels.theirs]) {
      args.push('-L', label);
    }
    return await runMerge([...args, ...files]);
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

function runMerge(args: string[]): Promise<TextMerge> {
  return new Promise((resolve, reject) => {
    execFile(
      'git',
      args,
      { encoding: 'buffer', maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (error as { code?: unknown }).code : 0;
        // git merge-file exits with the number of conflicts (at most 127), negative on failure.
        if (typeof code === 'number' && code >= 0 && code <= 127) {
          resolve({ content: stdout, conflicts: code });
        } else {
          reject(
            new UpgradeError(
              `git merge-file failed: ${
                stderr.toString().trim() || String(error)
              }`,
            ),
          );
        }
      },
    );
  });
}
