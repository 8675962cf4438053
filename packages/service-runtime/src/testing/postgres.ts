import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createServer } from 'node:net';

const run = promisify(execFile);

/** Neither DATABASE_URL nor the PostgreSQL server binaries are available. */
export class PostgresMissingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PostgresMissingError';
  }
}

/** A free loopback TCP port, from the kernel. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** A PostgreSQL cluster created with initdb in a temp folder, listening on a free loopback port. */
export interface ThrowawayPostgres {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly password: string;
  /** `postgres://user:password@127.0.0.1:port/postgres` */
  readonly connectionString: string;
  /** Stops the server (fast shutdown) and deletes the cluster folder. */
  stop(): Promise<void>;
  /**
   * Stops the server and keeps the cluster (`pg_ctl stop -m <mode>`, `fast` by default: open
   * sessions are ended with 57P01 admin_shutdown), for outage tests; {@link startServer} brings it
   * back on the same port with the same data.
   */
  stopServer(mode?: 'smart' | 'fast' | 'immediate'): Promise<void>;
  /** Starts a server stopped by {@link stopServer} again (waits until it accepts connections). */
  startServer(): Promise<void>;
}

/** Finds initdb/pg_ctl on PATH or under Debian's /usr/lib/postgresql/<version>/bin. */
function postgresBinDir(): string {
  const onPath = (process.env.PATH ?? '')
    .split(':')
    .find(
      dir =>
        dir &&
        existsSync(join(dir, 'initdb')) &&
        existsSync(join(dir, 'pg_ctl')),
    );
  if (onPath) return onPath;
  const debianRoot = '/usr/lib/postgresql';
  if (existsSync(debianRoot)) {
    const versions = readdirSync(debianRoot).sort(
      (a, b) => Number(b) - Number(a),
    );
    for (const version of versions) {
      const dir = join(debianRoot, version, 'bin');
      if (existsSync(join(dir, 'initdb'))) return dir;
    }
  }
  throw new PostgresMissingError(
    'no DATABASE_URL is set and the PostgreSQL server binaries (initdb, pg_ctl) were not found on PATH or under /usr/lib/postgresql: install PostgreSQL or set DATABASE_URL',
  );
}

/**
 * Creates a throwaway cluster. initdb refuses to run as root, so as root the cluster is owned by
 * the `postgres` (or `nobody`) account through runuser; otherwise it runs as the current user.
 */
export async function startPostgres(): Promise<ThrowawayPostgres> {
  const bin = postgresBinDir();
  const dir = await mkdtemp(join(tmpdir(), 'paver-pg-'));
  const dataDir = join(dir, 'data');
  const port = await freePort();
  const user = 'paver';
  const password = 'paver';
  const asRoot = process.getuid?.() === 0;
  const osUser = asRoot ? await pickServiceAccount() : undefined;
  const exec = async (cmd: string, args: string[]) => {
    if (osUser) {
      return run('runuser', ['-u', osUser, '--', join(bin, cmd), ...args]);
    }
    return run(join(bin, cmd), args);
  };
  if (osUser) await run('chown', [osUser, dir]);
  const pwFile = join(dir, 'pw');
  await writeFile(pwFile, password);
  await chmod(pwFile, 0o644);
  await exec('initdb', [
    '-D',
    dataDir,
    '-U',
    user,
    '--pwfile',
    pwFile,
    '-A',
    'scram-sha-256',
    '-E',
    'UTF8',
    '--no-sync',
  ]);
  const startServer = () =>
    exec('pg_ctl', [
      '-D',
      dataDir,
      '-l',
      join(dir, 'server.log'),
      '-w',
      '-t',
      '60',
      '-o',
      `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200`,
      'start',
    ]);
  await startServer();
  let stopped = false;
  return {
    host: '127.0.0.1',
    port,
    user,
    password,
    connectionString: `postgres://${user}:${password}@127.0.0.1:${port}/postgres`,
    async stop() {
      if (stopped) return;
      stopped = true;
      await exec('pg_ctl', [
        '-D',
        dataDir,
        '-m',
        'immediate',
        '-w',
        'stop',
      ]).catch(() => undefined);
      await rm(dir, { recursive: true, force: true });
    },
    async stopServer(mode = 'fast') {
      await exec('pg_ctl', [
        '-D',
        dataDir,
        '-m',
        mode,
        '-w',
        '-t',
        '60',
        'stop',
      ]);
    },
    async startServer() {
      if (stopped)
        throw new Error(
          'the throwaway cluster was removed by stop(); it cannot start again',
        );
      await startServer();
    },
  };
}

async function pickServiceAccount(): Promise<string> {
  for (const candidate of ['postgres', 'nobody']) {
    try {
      await run('id', ['-u', candidate]);
      return candidate;
    } catch {
      // try the next account
    }
  }
  throw new Error(
    'running as root, but neither a postgres nor a nobody account exists to own the cluster',
  );
}
