import { spawn } from 'node:child_process';
import { freePort } from '@paver/test-utils';
import { newUserEnv } from './newUserEnv';

/** A generated service started from its build, as its Dockerfile starts it. */
export interface RunningService {
  readonly url: string;
  output(): string;
  stop(): Promise<void>;
}

/**
 * Starts `node dist/main.js` (or another built entry, a worker's `dist/worker.js`) in `dir` with a
 * new user's environment plus `settings` (the service's own variables) and a free PORT, and waits
 * until `/healthz` answers. Fails with the service's output if it exits first or is not up in time.
 */
export async function startService(
  dir: string,
  settings: Record<string, string>,
  { entry = 'dist/main.js', timeoutMs = 30_000 } = {},
): Promise<RunningService> {
  const port = await freePort();
  const child = spawn(process.execPath, [entry], {
    cwd: dir,
    env: newUserEnv({ ...settings, PORT: String(port) }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', d => (output += d));
  child.stderr.on('data', d => (output += d));
  const exited = new Promise<number | null>(resolve =>
    child.once('exit', code => resolve(code)),
  );
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    }
  };
  const url = `http://127.0.0.1:${port}`;
  const service = { url, output: () => output, stop };
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(`service exited with ${child.exitCode}:\n${output}`);
    }
    if (await answers(`${url}/healthz`)) return service;
    await new Promise(r => setTimeout(r, 200));
  }
  await stop();
  throw new Error(`service not up after ${timeoutMs} ms:\n${output}`);
}

const answers = (url: string) =>
  fetch(url).then(
    r => r.ok,
    () => false,
  );
