import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Neither DATABASE_URL nor the PostgreSQL server binaries are available. */
export class PostgresMissingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PostgresMissingError';
  }
}

export interface ThrowawayPostgres {
  readonly connectionString: string;
  stop(): Promise<void>;
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

/** initdb and pg_ctl on PATH, or under Debian/Ubuntu's /usr/lib/postgresql/<version>/bin. */
function postgresBinDir(): string {
  const onPath = (process.env.PATH ?? '')
    .split(':')
    .find(dir => dir && existsSync(join(dir, 'initdb')));
  if (onPath) return onPath;
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root)
    ? readdirSync(root).sort((a, b) => Number(b) - Number(a))
    : [];
  const found = versions
    .map(v => join(root, v, 'bin'))
    .find(dir => existsSync(join(dir, 'initdb')));
  if (!found) {
    throw new PostgresMissingError(
      'no DATABASE_URL is set and initdb was not found (PATH, /usr/lib/postgresql/*/bin): install PostgreSQL or set DATABASE_URL',
    );
  }
  return found;
}

/**
 * Creates a PostgreSQL cluster in a temp folder on a free port, removed by stop(). initdb refuses
 * to run as root, so as root the cluster belongs to the postgres (or nobody) account via runuser.
 */
export async function startPostgres(): Promise<ThrowawayPostgres> {
  const bin = postgresBinDir();
  const dir = await mkdtemp(join(tmpdir(), 'service-pg-'));
  try {
    return await createCluster(bin, dir);
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}

async function createCluster(
  bin: string,
  dir: string,
): Promise<ThrowawayPostgres> {
  const dataDir = join(dir, 'data');
  const port = await freePort();
  const osUser = process.getuid?.() === 0 ? await serviceAccount() : undefined;
  const runuser =
    ['/usr/sbin/runuser', '/sbin/runuser'].find(p => existsSync(p)) ??
    'runuser';
  const exec = (cmd: string, args: string[]) =>
    osUser
      ? run(runuser, ['-u', osUser, '--', join(bin, cmd), ...args])
      : run(join(bin, cmd), args);
  if (osUser) await run('chown', [osUser, dir]);
  const pwFile = join(dir, 'pw');
  await writeFile(pwFile, 'test');
  await chmod(pwFile, 0o644);
  await exec('initdb', [
    '-D',
    dataDir,
    '-U',
    'test',
    '--pwfile',
    pwFile,
    '-A',
    'scram-sha-256',
    '-E',
    'UTF8',
    '--no-sync',
  ]);
  await exec('pg_ctl', [
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
  let stopped = false;
  return {
    connectionString: `postgres://test:test@127.0.0.1:${port}/postgres`,
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
  };
}

async function serviceAccount(): Promise<string> {
  for (const candidate of ['postgres', 'nobody']) {
    const exists = await run('id', ['-u', candidate]).then(
      () => true,
      () => false,
    );
    if (exists) return candidate;
  }
  throw new Error(
    'running as root, but neither a postgres nor a nobody account exists to own the test cluster',
  );
}
