import { execFile } from 'node:child_process';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
export const packageRoot = path.resolve(__dirname, '../..');

/**
 * Compiles the package with tsconfig.build.json into a private folder under dist/, so parallel
 * suites never read each other's half-written output, and node_modules still resolves from there.
 */
export async function compileForTest(
  name: string,
  outDir = path.join(packageRoot, 'dist', `.test-${name}-${process.pid}`),
): Promise<{ outDir: string; remove(): Promise<void> }> {
  const tsc = require.resolve('typescript/bin/tsc', { paths: [packageRoot] });
  await run(process.execPath, [
    tsc,
    '-p',
    path.join(packageRoot, 'tsconfig.build.json'),
    '--outDir',
    outDir,
  ]);
  return { outDir, remove: () => rm(outDir, { recursive: true, force: true }) };
}
