import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from '@paver/service-runtime/testing/postgres';

// Debian's nats-server installs into /usr/sbin, which is not on every user's PATH.
const CANDIDATES = ['/usr/sbin/nats-server', '/usr/bin/nats-server'];

/** No nats-server binary on PATH or where Debian puts it. */
export class NatsMissingError extends Error {
  constructor() {
    super(
      'no NATS_URL is set and nats-server was not found on PATH or in /usr/sbin: install the "nats-server" package (Debian, Ubuntu) or set NATS_URL to a server with JetStream on',
    );
    this.name = 'NatsMissingError';
  }
}

function natsBinary(): string {
  const onPath = (process.env.PATH ?? '')
    .split(path.delimiter)
    .map(dir => path.join(dir, 'nats-server'))
    .find(existsSync);
  const found = onPath ?? CANDIDATES.find(existsSync);
  if (!found) throw new NatsMissingError();
  return found;
}

/** A nats-server with JetStream on, its store in a temp folder, listening on a free loopback port. */
export interface ThrowawayNats {
  /** `nats://127.0.0.1:port` */
  readonly url: string;
  readonly port: number;
  /** Stops the server (SIGTERM) and keeps its store, for outage tests. */
  stopServer(): Promise<void>;
  /** Starts a server stopped by {@link stopServer} again, on the same port with the same store. */
  startServer(): Promise<void>;
  /** Stops the server and removes its store. */
  stop(): Promise<void>;
}

const READY = /Server is ready/;
const READY_TIMEOUT_MS = 15_000;

function launch(binary: string, args: string[]): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`nats-server was not ready in 15 s:\n${output}`));
    }, READY_TIMEOUT_MS);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (!READY.test(output)) return;
      clearTimeout(timer);
      child.stderr?.removeAllListeners('data');
      child.stdout?.removeAllListeners('data');
      child.stderr?.resume();
      child.stdout?.resume();
      resolve(child);
    };
    child.stderr?.on('data', onData);
    child.stdout?.on('data', onData);
    child.once('error', error => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('exit', code => {
      clearTimeout(timer);
      reject(new Error(`nats-server exited with ${code}:\n${output}`));
    });
  });
}

function terminate(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) {
    return Promise.resolve();
  }
  return new Promise(resolve => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

/** Starts the local nats-server with JetStream (`-js -sd <temp>`) on a free loopback port. */
export async function startNats(): Promise<ThrowawayNats> {
  const binary = natsBinary();
  const port = await freePort();
  const store = await mkdtemp(path.join(tmpdir(), 'paver-nats-'));
  const args = ['-a', '127.0.0.1', '-p', String(port), '-js', '-sd', store];
  let child: ChildProcess | undefined = await launch(binary, args).catch(
    async error => {
      await rm(store, { recursive: true, force: true });
      throw error;
    },
  );
  const stopServer = async () => {
    await terminate(child);
    child = undefined;
  };
  return {
    url: `nats://127.0.0.1:${port}`,
    port,
    stopServer,
    async startServer() {
      if (child) throw new Error('nats-server is already running');
      child = await launch(binary, args);
    },
    async stop() {
      await stopServer();
      await rm(store, { recursive: true, force: true });
    },
  };
}
