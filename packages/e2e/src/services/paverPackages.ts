import { REPO_ROOT } from '../backend/backendProcess';
import { runStep } from './run-step';
import { newUserEnv } from './newUserEnv';

/**
 * Packs the @paver packages generated services install into `outDir`, with the command
 * `./paverw start` runs (`yarn packages:pack`); a backend given that folder as
 * `paver.packages.local.dir` serves them as the @paver registry.
 */
export async function packPaverPackages(
  outDir: string,
  options: { releasedDir?: string } = {},
): Promise<string[]> {
  const yarn = `${REPO_ROOT}/.yarn/releases/yarn-4.13.0.cjs`;
  const released = options.releasedDir
    ? ['--released', options.releasedDir]
    : [];
  const { output } = await runStep(
    process.execPath,
    [yarn, 'packages:pack', '--out', outDir, ...released],
    { cwd: REPO_ROOT, env: newUserEnv(), timeoutMs: 5 * 60_000 },
  );
  const listed = /tarball\(s\) in .*: (.+)$/m.exec(output);
  if (!listed) throw new Error(`packages:pack listed no tarballs:\n${output}`);
  return listed[1].split(', ');
}
