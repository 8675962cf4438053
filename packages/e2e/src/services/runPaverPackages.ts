import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { lock } from 'proper-lockfile';
import { inject } from 'vitest';
import { packPaverPackages } from './paverPackages';

// Test files only: it reads vitest's provided context, which a bench (plain tsx) cannot import.
declare module 'vitest' {
  export interface ProvidedContext {
    /** An empty folder per test run (vitest.globalSetup.mts) for `runPaverPackages`. */
    paverPackagesDir: string;
  }
}

/** The run's packed tarballs: their folder and file names. Read-only for every test. */
export interface PaverPackages {
  dir: string;
  tarballs: string[];
}

const PACKED = 'packed.json';

/**
 * The @paver packages as `yarn packages:pack` makes them, packed once per test run: the first
 * test file to ask packs them (the others wait for it) and every file gets the same folder, so
 * the lockfile test checks exactly the tarballs the end-to-end tests install, and the run spends
 * one pack instead of one per file.
 */
export async function runPaverPackages(): Promise<PaverPackages> {
  const dir = inject('paverPackagesDir');
  const release = await lock(dir, {
    retries: { retries: 60, minTimeout: 500, maxTimeout: 5_000 },
  });
  try {
    const done = await readFile(path.join(dir, PACKED), 'utf8').catch(
      () => undefined,
    );
    if (done) return { dir, tarballs: JSON.parse(done) as string[] };
    const tarballs = await packPaverPackages(dir);
    await writeFile(path.join(dir, PACKED), JSON.stringify(tarballs));
    return { dir, tarballs };
  } finally {
    await release();
  }
}
