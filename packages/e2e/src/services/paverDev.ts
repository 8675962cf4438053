import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { StackState } from '@paver/cli/src/dev/stack';
import { REPO_ROOT } from '../backend/backendProcess';
import { newUserEnv } from './newUserEnv';

const PAVER_BIN = path.join(REPO_ROOT, 'packages/cli/bin/paver');
const READY_LINE = /Ctrl-C stops everything/;
const STATE_LINE = /^state\s+(\S+)$/m;

/** `paver dev` running in a terminal: what it printed, its stack.json, its stdin, its exit. */
export interface PaverDev {
  readonly state: StackState;
  output(): string;
  /** Resolves when a line matching `pattern` has been printed. */
  waitForLine(pattern: RegExp, timeoutMs?: number): Promise<string>;
  /** Types a line, as at the terminal. */
  type(line: string): void;
  /** Ctrl-C; resolves with the exit code. */
  interrupt(): Promise<number | null>;
}

/**
 * Runs `paver dev --file <stackFile> ...args` as a developer would, until its stack is up; with
 * `build: false` (the default: the clones are built) it also passes `--no-build`.
 */
export async function startPaverDev(
  stackFile: string,
  {
    build = false,
    args = [],
    timeoutMs = 180_000,
  }: { build?: boolean; args?: string[]; timeoutMs?: number } = {},
): Promise<PaverDev> {
  const child = spawn(
    process.execPath,
    [
      PAVER_BIN,
      'dev',
      '--file',
      stackFile,
      ...(build ? [] : ['--no-build']),
      ...args,
    ],
    { env: newUserEnv(), stdio: ['pipe', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout.on('data', chunk => (output += chunk));
  child.stderr.on('data', chunk => (output += chunk));
  const exited = new Promise<number | null>(resolve =>
    child.once('exit', code => resolve(code)),
  );
  const waitForLine = async (pattern: RegExp, waitMs = 60_000) => {
    const deadline = Date.now() + waitMs;
    for (;;) {
      const line = output.split('\n').find(l => pattern.test(l));
      if (line) return line;
      if (child.exitCode !== null)
        throw new Error(`paver dev exited (${child.exitCode}):\n${output}`);
      if (Date.now() > deadline)
        throw new Error(`paver dev never printed ${pattern}:\n${output}`);
      await new Promise(resolve => setTimeout(resolve, 100));
    }
  };
  const interrupt = async () => {
    child.kill('SIGINT');
    return exited;
  };
  try {
    await waitForLine(READY_LINE, timeoutMs);
  } catch (error) {
    await interrupt();
    throw error;
  }
  const stateFile = STATE_LINE.exec(output)![1];
  const state = JSON.parse(await readFile(stateFile, 'utf8')) as StackState;
  return {
    state,
    output: () => output,
    waitForLine,
    type: line => child.stdin.write(`${line}\n`),
    interrupt,
  };
}
