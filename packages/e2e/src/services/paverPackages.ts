import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { lock } from 'proper-lockfile';
import { inject } from 'vitest';
import { REPO_ROOT } from '../backend/backendProcess';
import { runStep } from './run-step';
import { newUserEnv } from './newUserEnv';

declare module 'vitest' {
  export interface ProvidedContext {
    /** An empty folder per test run (vitest.globalSetup.mts) for `runPaverPackages`. */
    paverPackagesDir: string;
  }
}

/**
 * Packs the @paver packages generated services install into `outDir`, with the command
 * `./paverw start` runs (`yarn packages:pack`); a backend given that folder as
 * `paver.packages.local.dir` serves them as the @paver registry.
 */
export async function packPaverPackages(outDir: string): Promise<string[]> {
  const yarn = `${REPO_ROOT}/.yarn/releases/yarn-4.13.0.cjs`;
  const { output } = await runStep(
    process.execPath,
    [yarn, 'packages:pack', '--out', outDir],
    { cwd: REPO_ROOT, env: newUserEnv(), timeoutMs: 5 * 60_000 },
  );
  const listed = /tarball\(s\) in .*: (.+)$/m.exec(output);
  if (!listed) throw new Error(`packages:pack listed no tarballs:\n${output}`);
  return listed[1].split(', ');
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
