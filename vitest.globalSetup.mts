import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { leftoverTempEntries } from './packages/test-utils/src/tempDirs';

// Once per run: a folder the end-to-end tests share for the packed @paver packages
// (runPaverPackages), and, after every file has finished, the entries named paver-* the run left
// in the OS temp folder, so a test that forgets to clean up is seen.
export default function setup(project: TestProject) {
  const started = Date.now();
  const packagesDir = mkdtempSync(path.join(tmpdir(), 'paver-run-packages-'));
  project.provide('paverPackagesDir', packagesDir);
  return () => {
    rmSync(packagesDir, { recursive: true, force: true });
    const left = leftoverTempEntries(started);
    if (left.length === 0) {
      console.log('Temp folders: this run left nothing behind.');
      return;
    }
    console.warn(
      `Temp folders: this run left ${left.length} paver-* entr${
        left.length === 1 ? 'y' : 'ies'
      } in the OS temp folder:\n${left.map(name => `  ${name}`).join('\n')}`,
    );
  };
}
