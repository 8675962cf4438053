import { spawn } from 'node:child_process';
import type { CliIo } from './io';

/**
 * Runs `command` in `cwd` with its output streamed to the CLI's, as the user would see it in a
 * terminal; resolves with the exit code. `env` defaults to this process's environment.
 */
export function runCommand(
  command: readonly string[],
  cwd: string,
  io: CliIo,
  env?: NodeJS.ProcessEnv,
): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(command[0], command.slice(1), {
      cwd,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.pipe(io.stdout, { end: false });
    child.stderr.pipe(io.stderr, { end: false });
    child.on('error', reject);
    child.on('close', code => resolve(code ?? 1));
  });
}
