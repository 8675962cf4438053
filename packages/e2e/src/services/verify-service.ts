import { runStep, type StepResult } from './run-step';

export interface VerifyOptions {
  env: NodeJS.ProcessEnv;
  /** Budget for each npm command. */
  stepTimeoutMs: number;
}

/**
 * What a team does with a fresh repository: install, build, run its own tests. Stops at the first
 * failing step (StepFailedError names it and carries its output).
 */
export async function verifyGeneratedService(
  dir: string,
  options: VerifyOptions,
): Promise<StepResult[]> {
  const run = (args: string[]) =>
    runStep('npm', args, {
      cwd: dir,
      env: options.env,
      timeoutMs: options.stepTimeoutMs,
    });
  const results: StepResult[] = [];
  results.push(await run(['install', '--no-audit', '--no-fund']));
  results.push(await run(['run', 'build']));
  results.push(await run(['test']));
  return results;
}
