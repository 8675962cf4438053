import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { DevStackError } from '../errors';

/** How a workload's process is started; `command[0]` `node` is this CLI's Node. */
export interface ProcessSpec {
  /** The prefix of its log lines and its name in messages: the Deployment's name. */
  readonly name: string;
  readonly cwd: string;
  readonly command: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  /** `http://127.0.0.1:<port>` plus the readiness probe's path; none: started is ready. */
  readonly readyUrl?: string;
}

/** A running workload; `stop` ends its whole process group. */
export interface DevProcess {
  readonly spec: ProcessSpec;
  readonly pid: number;
  stop(): Promise<void>;
}

const READY_TIMEOUT_MS = 120_000;
const STOP_GRACE_MS = 10_000;
/** Lines kept for the message when a process exits before it is ready. */
const TAIL_LINES = 20;

/**
 * Starts the workload in its own process group (so stopping it also ends what it spawned), writes
 * each line it prints as `name | line`, and resolves once its readiness URL answers 2xx. If it
 * exits first, or is not ready in two minutes, it is stopped and the error quotes its last lines.
 */
export async function startProcess(
  spec: ProcessSpec,
  writeLine: (line: string) => void,
): Promise<DevProcess> {
  const [program, ...args] = spec.command;
  const child = spawn(program === 'node' ? process.execPath : program, args, {
    cwd: spec.cwd,
    env: spec.env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const tail: string[] = [];
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream! }).on('line', line => {
      tail.push(line);
      if (tail.length > TAIL_LINES) tail.shift();
      writeLine(`${spec.name} | ${line}`);
    });
  }
  let stopping = false;
  const exited = new Promise<void>(resolve =>
    child.once('exit', (code, signal) => {
      if (!stopping)
        writeLine(
          `${spec.name} | exited (${code ?? signal}); rs ${
            spec.name
          } starts it again`,
        );
      resolve();
    }),
  );
  const spawned = await new Promise<boolean>(resolve => {
    child.once('spawn', () => resolve(true));
    child.once('error', () => resolve(false));
  });
  if (!spawned || child.pid === undefined)
    throw new DevStackError(
      `${spec.name}: could not start ${spec.command.join(' ')} in ${spec.cwd}`,
    );
  const running: DevProcess = {
    spec,
    pid: child.pid,
    stop: () => {
      stopping = true;
      return stopGroup(child, exited);
    },
  };
  try {
    await waitReady(spec, child, exited);
  } catch (error) {
    await running.stop();
    const output = tail.length ? `; its last lines:\n${tail.join('\n')}` : '';
    throw new DevStackError(`${(error as Error).message}${output}`);
  }
  return running;
}

async function waitReady(
  spec: ProcessSpec,
  child: ChildProcess,
  exited: Promise<void>,
): Promise<void> {
  if (!spec.readyUrl) return;
  let hasExited = false;
  void exited.then(() => (hasExited = true));
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (hasExited)
      throw new DevStackError(
        `${spec.name} exited (${
          child.exitCode ?? child.signalCode
        }) before it was ready`,
      );
    const ok = await fetch(spec.readyUrl, {
      signal: AbortSignal.timeout(2_000),
    }).then(
      response => response.ok,
      () => false,
    );
    if (ok) return;
    await new Promise(resolve => setTimeout(resolve, 200));
  }
  throw new DevStackError(
    `${spec.name} was not ready at ${spec.readyUrl} within ${
      READY_TIMEOUT_MS / 1000
    } s`,
  );
}

/** SIGTERM to the group, as a pod's termination; SIGKILL after the grace period. */
async function stopGroup(child: ChildProcess, exited: Promise<void>) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const signalGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, signal);
    } catch {
      // The group is already gone.
    }
  };
  signalGroup('SIGTERM');
  const timer = setTimeout(() => signalGroup('SIGKILL'), STOP_GRACE_MS);
  await exited;
  clearTimeout(timer);
  // What it spawned and left behind goes with it.
  signalGroup('SIGKILL');
}
