// What the databases hold: dumps, queries, and the workspaces the scaffolder stored.
import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { restoreWorkspace } from '@backstage/plugin-scaffolder-node/alpha';
import { tempDir, type ThrowawayPostgres } from '@paver/test-utils';

const run = promisify(execFile);
/**
 * Every database of the cluster as plain-text SQL (schema and all rows, `pg_dump --inserts`), one
 * entry per database, for grepping.
 */
export async function dumpAllDatabases(
  pg: ThrowawayPostgres,
): Promise<Record<string, string>> {
  const env = { ...process.env, PGPASSWORD: pg.password };
  const conn = ['-h', pg.host, '-p', String(pg.port), '-U', pg.user];
  const { stdout } = await run(
    'psql',
    [
      ...conn,
      '-d',
      'postgres',
      '-Atc',
      'select datname from pg_database where not datistemplate order by 1',
    ],
    { env },
  );
  const dumps: Record<string, string> = {};
  for (const db of stdout
    .split('\n')
    .map(s => s.trim())
    .filter(Boolean)) {
    const dump = await run(
      'pg_dump',
      [...conn, '-d', db, '--inserts', '--no-owner'],
      {
        env,
        maxBuffer: 512 * 1024 * 1024,
      },
    );
    dumps[db] = dump.stdout;
  }
  return dumps;
}

/** The rows of one query against one database of the cluster (`psql -At`: fields split on `|`). */
export async function psqlRows(
  pg: ThrowawayPostgres,
  database: string,
  sql: string,
): Promise<string[][]> {
  const { stdout } = await run(
    'psql',
    [
      '-h',
      pg.host,
      '-p',
      String(pg.port),
      '-U',
      pg.user,
      '-d',
      database,
      '-v',
      'ON_ERROR_STOP=1',
      '-Atc',
      sql,
    ],
    { env: { ...process.env, PGPASSWORD: pg.password } },
  );
  return stdout
    .split('\n')
    .filter(Boolean)
    .map(line => line.split('|'));
}

/** Where Backstage keeps the scaffolder's tables on PostgreSQL (one database per plugin). */
export const SCAFFOLDER_DB = 'backstage_plugin_scaffolder';

/** Test-only copy of every workspace the provider stored; see {@link recordStoredWorkspaces}. */
const WORKSPACE_VERSIONS = 'paver_test_workspace_versions';

/**
 * Keeps a copy of every workspace the database workspace provider stores (each insert and update
 * of `scaffolder_task_workspaces`, by a trigger), so a test can read all of them after the task,
 * which deletes its row when it completes. Call once the backend is ready (the provider's
 * migration has run) and before submitting tasks.
 */
export async function recordStoredWorkspaces(
  pg: ThrowawayPostgres,
): Promise<void> {
  await psqlRows(
    pg,
    SCAFFOLDER_DB,
    `create table ${WORKSPACE_VERSIONS} (
       id bigserial primary key, task_id text not null, workspace bytea not null);
     create function ${WORKSPACE_VERSIONS}_keep() returns trigger language plpgsql as $$
       begin insert into ${WORKSPACE_VERSIONS} (task_id, workspace) values (new.task_id, new.workspace); return null; end $$;
     create trigger ${WORKSPACE_VERSIONS}_keep after insert or update on scaffolder_task_workspaces
       for each row execute function ${WORKSPACE_VERSIONS}_keep();`,
  );
}

/** Every workspace stored for `taskId` since {@link recordStoredWorkspaces}, oldest first (tar archives). */
export async function storedWorkspaceVersions(
  pg: ThrowawayPostgres,
  taskId: string,
): Promise<Buffer[]> {
  const { stdout } = await run(
    'psql',
    [
      '-h',
      pg.host,
      '-p',
      String(pg.port),
      '-U',
      pg.user,
      '-d',
      SCAFFOLDER_DB,
      '-v',
      'ON_ERROR_STOP=1',
      '-Atc',
      `select encode(workspace, 'hex') from ${WORKSPACE_VERSIONS} where task_id = '${taskId}' order by id`,
    ],
    {
      env: { ...process.env, PGPASSWORD: pg.password },
      maxBuffer: 512 * 1024 * 1024,
    },
  );
  return stdout
    .split('\n')
    .filter(Boolean)
    .map(hex => Buffer.from(hex, 'hex'));
}

/**
 * `relative path -> bytes` of every file in a stored workspace, unpacked with the scaffolder's own
 * restoreWorkspace (what a replica resuming the task does).
 */
export async function workspaceFiles(
  tar: Buffer,
): Promise<Map<string, Buffer>> {
  const dir = await tempDir('paver-stored-workspace-');
  await restoreWorkspace({ path: dir, buffer: tar });
  const files = new Map<string, Buffer>();
  for (const entry of await fs.readdir(dir, {
    recursive: true,
    withFileTypes: true,
  })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    files.set(path.relative(dir, file), await fs.readFile(file));
  }
  return files;
}
