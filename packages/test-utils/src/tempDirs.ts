import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * Temp folders a test asked for, removed after its file's suites by the repository's Vitest setup
 * file (`vitest.setup.mts`), whether the tests passed or failed. Kept on `globalThis` because the
 * setup file and a test file may load this module as separate instances.
 */
const TRACKED = Symbol.for('paver.test-utils.tempDirs');
type Registry = { [TRACKED]?: Set<string> };

function tracked(): Set<string> {
  const registry = globalThis as Registry;
  registry[TRACKED] ??= new Set();
  return registry[TRACKED];
}

/** Every name starts with this, so a run's teardown can report what a test left behind. */
export const TEMP_PREFIX = 'paver-';

function named(prefix: string): string {
  const name = prefix.startsWith(TEMP_PREFIX) ? prefix : TEMP_PREFIX + prefix;
  return path.join(os.tmpdir(), name);
}

/** A new, empty temp folder (`paver-<prefix>XXXXXX`), removed after the test file. */
export async function tempDir(prefix: string): Promise<string> {
  const dir = await fs.promises.mkdtemp(named(prefix));
  tracked().add(dir);
  return dir;
}

/** {@link tempDir} for synchronous fixtures. */
export function tempDirSync(prefix: string): string {
  const dir = fs.mkdtempSync(named(prefix));
  tracked().add(dir);
  return dir;
}

/** Removes every folder handed out so far; called from the setup file's `afterAll`. */
export async function removeTempDirs(): Promise<void> {
  const dirs = [...tracked()];
  tracked().clear();
  await Promise.all(
    dirs.map(dir => fs.promises.rm(dir, { recursive: true, force: true })),
  );
}

/**
 * What a run left in the OS temp folder: entries named `paver-*` changed since `sinceMs`.
 * Reported by the global teardown (`vitest.globalSetup.mts`).
 */
export function leftoverTempEntries(sinceMs: number): string[] {
  const root = os.tmpdir();
  return fs
    .readdirSync(root)
    .filter(name => name.startsWith(TEMP_PREFIX))
    .filter(name => {
      try {
        return fs.lstatSync(path.join(root, name)).mtimeMs >= sinceMs;
      } catch {
        return false; // removed meanwhile
      }
    })
    .sort();
}
