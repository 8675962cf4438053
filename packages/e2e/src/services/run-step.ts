import { spawn } from 'node:child_process';

/** One command of the end-to-end check that did not succeed; the message holds its output's tail. */
export class StepFailedError extends Error {
  constructor(
    readonly step: string,
    readonly exitCode: number | null,
    readonly output: string,
  ) {
    super(
      `step "${step}" failed (${
        exitCode === null ? 'killed: timed out' : `exit ${exitCode}`
      }):\n${tail(output, 150)}`,
    );
    this.name = 'StepFailedError';
  }
}

export interface StepOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** The command is killed after this long and the step fails. */
  timeoutMs: number;
}

export interface StepResult {
  step: string;
  seconds: number;
  output: string;
}

/** Runs `command args` to completion, stdout and stderr interleaved; throws StepFailedError on a non-zero exit. */
export function runStep(
  command: string,
  args: string[],
  options: StepOptions,
): Promise<StepResult> {
  const step = [command, ...args].join(' ');
  const started = Date.now();
  return new Promise((resolve, reject) => {
    // Own process group, so a timeout kills npm and everything it started (vitest, postgres…).
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const collect = (chunk: Buffer) => {
      output += chunk.toString('utf8');
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    const timer = setTimeout(() => killGroup(child.pid), options.timeoutMs);
    child.on('error', error => {
      clearTimeout(timer);
      reject(new StepFailedError(step, null, `${output}\n${error.message}`));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0)
        resolve({ step, seconds: (Date.now() - started) / 1000, output });
      else reject(new StepFailedError(step, signal ? null : code, output));
    });
  });
}

function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

export function tail(text: string, lines: number): string {
  const all = text.trimEnd().split('\n');
  return (
    all.length > lines
      ? [`… ${all.length - lines} earlier lines`, ...all.slice(-lines)]
      : all
  ).join('\n');
}
