import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { restoreWorkspace } from '@backstage/plugin-scaffolder-node/alpha';
import { parseAnswersYaml } from '@paver/golden-path';
import {
  freePort,
  startPostgres,
  tempDir,
  type ThrowawayPostgres,
} from '@paver/test-utils';
import {
  IN_MEMORY_SQLITE,
  REPO_ROOT,
  localPublishingConfig,
  spawnBackend,
  waitForReady,
  type BackendProcess,
  type LocalPublishingOptions,
} from '../backend/backendProcess';
import { git } from '@paver/plugin-scaffolder-backend-module-paver/testUtils';
import {
  api,
  waitForEntity,
  type TaskEvent,
} from '../scaffolder/scaffolderApi';

const run = promisify(execFile);

/** What a reliability test changes in the real backend's config; the rest is app-config.yaml. */
export interface PaverBackendOptions {
  port: number;
  /** The database; absent, each plugin gets an in-memory SQLite database (gone with the process). */
  pg?: ThrowawayPostgres;
  /** The local provider's data folder (bare repositories and checkouts). */
  dataDir: string;
  /** The scaffolder's working directory (task workspaces live in `<dir>/<taskId>`). */
  workingDirectory: string;
  /** Every backend port whose repository route the catalog may read (replicas read each other's). */
  readablePorts?: number[];
  /** Merged over `paver` (e.g. `{ testing: {...} }` or a github provider). */
  paver?: Record<string, unknown>;
  scaffolder?: Record<string, unknown>;
  integrations?: Record<string, unknown>;
  /** Template files registered beside the golden paths (test-only templates). */
  extraTemplates?: string[];
  /** Other hosts the catalog may read (e.g. a test's own server of catalog files). */
  extraReadingAllow?: LocalPublishingOptions['extraReadingAllow'];
}

/**
 * Boots the real backend (child process) on the shared throwaway PostgreSQL (or in-memory SQLite),
 * publishing locally to `dataDir`, with the organisation and the golden paths as catalog locations.
 */
export async function startPaverBackend(
  options: PaverBackendOptions,
): Promise<BackendProcess> {
  const ports = options.readablePorts ?? [options.port];
  const backend = await spawnBackend({
    port: options.port,
    configFiles: ['app-config.yaml'],
    override: [
      localPublishingConfig({
        dataDir: options.dataDir,
        ports,
        extraTemplates: options.extraTemplates,
        extraReadingAllow: options.extraReadingAllow,
      }),
      {
        backend: {
          database: options.pg
            ? {
                client: 'pg',
                connection: {
                  host: options.pg.host,
                  port: options.pg.port,
                  user: options.pg.user,
                  password: options.pg.password,
                },
              }
            : IN_MEMORY_SQLITE.backend.database,
          workingDirectory: options.workingDirectory,
        },
        ...(options.paver ? { paver: options.paver } : {}),
        ...(options.scaffolder ? { scaffolder: options.scaffolder } : {}),
        ...(options.integrations ? { integrations: options.integrations } : {}),
      },
    ],
  });
  try {
    await waitForReady(backend, 240_000);
    for (const ref of [
      'template/default/billing-service',
      'group/default/payments',
      'system/default/billing',
    ]) {
      await waitForEntity(backend, ref);
    }
  } catch (error) {
    await backend.stop();
    throw error;
  }
  return backend;
}

/** The billing-service fixture answers under another service name. */
export async function billingAnswers(
  name: string,
): Promise<Record<string, unknown>> {
  const answers = parseAnswersYaml(
    await fs.readFile(
      path.join(REPO_ROOT, 'templates/billing-service/fixtures/answers.yaml'),
      'utf8',
    ),
  );
  return { ...answers, name };
}

/** Creates a task as `token`'s user, as the Create page does; `secrets` go in the task's secrets. */
export async function submitTask(
  backend: BackendProcess,
  token: string,
  values: Record<string, unknown>,
  secrets?: Record<string, string>,
): Promise<string> {
  const { id } = await api<{ id: string }>(
    backend,
    '/api/scaffolder/v2/tasks',
    {
      method: 'POST',
      body: JSON.stringify({
        templateRef: 'template:default/billing-service',
        values,
        ...(secrets ? { secrets } : {}),
      }),
    },
    token,
  );
  return id;
}

export interface TaskView {
  id: string;
  status: string;
}

export async function getTask(
  backend: BackendProcess,
  token: string,
  id: string,
): Promise<TaskView> {
  return api<TaskView>(backend, `/api/scaffolder/v2/tasks/${id}`, {}, token);
}

export async function taskEvents(
  backend: BackendProcess,
  token: string,
  id: string,
): Promise<TaskEvent[]> {
  return api<TaskEvent[]>(
    backend,
    `/api/scaffolder/v2/tasks/${id}/events`,
    {},
    token,
  );
}

const FINAL = new Set(['completed', 'failed', 'cancelled']);

/**
 * Polls (every 2 s, bounded) until the task reaches a final status; returns the last status seen,
 * which is `processing` or `open` when the bound ran out, so the caller's assertion says so.
 */
export async function waitForTaskEnd(
  backend: BackendProcess,
  token: string,
  id: string,
  boundMs = 300_000,
): Promise<string> {
  const until = Date.now() + boundMs;
  let status = 'unknown';
  while (Date.now() < until) {
    status = (await getTask(backend, token, id)).status;
    if (FINAL.has(status)) return status;
    await sleep(2_000);
  }
  return status;
}

/** Polls `backend.output()` (bounded) until it contains `text`; fails with the output otherwise. */
export async function waitForOutput(
  backend: BackendProcess,
  text: string,
  boundMs = 300_000,
): Promise<void> {
  const until = Date.now() + boundMs;
  while (Date.now() < until) {
    if (backend.output().includes(text)) return;
    if (backend.child.exitCode !== null) break;
    await sleep(250);
  }
  throw new Error(
    `backend never printed "${text}":\n${backend.output().slice(-8_000)}`,
  );
}

export function sleep(ms: number): Promise<void> {
  return new Promise(resolve => setTimeout(resolve, ms));
}

/** Names of the bare repositories (and anything else, e.g. a leftover staging folder) in `<dataDir>/git`. */
export async function gitDirEntries(dataDir: string): Promise<string[]> {
  return (
    await fs.readdir(path.join(dataDir, 'git')).catch(() => [] as string[])
  ).sort();
}

interface CatalogEntity {
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    annotations?: Record<string, string>;
  };
}

/** Every Component in the catalog (one page is plenty here). */
export async function components(
  backend: BackendProcess,
): Promise<CatalogEntity[]> {
  const { items } = await api<{ items: CatalogEntity[] }>(
    backend,
    '/api/catalog/entities/by-query?filter=kind=component&limit=1000',
  );
  return items;
}

/** Every registered location's target. */
export async function locationTargets(
  backend: BackendProcess,
): Promise<string[]> {
  const rows = await api<{ data: { type: string; target: string } }[]>(
    backend,
    '/api/catalog/locations',
  );
  return rows.map(r => r.data.target);
}

/** `name -> how many times it occurs`, keeping only names seen more than once. */
export function duplicates(values: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const v of values) counts[v] = (counts[v] ?? 0) + 1;
  return Object.fromEntries(Object.entries(counts).filter(([, n]) => n > 1));
}

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

/** `path -> blob id` of every file on `main` of a bare repository. */
export async function pushedTree(bare: string): Promise<Map<string, string>> {
  // -z: paths unquoted, entries NUL-separated.
  const listing = await git([
    '--git-dir',
    bare,
    'ls-tree',
    '-r',
    '-z',
    '--full-tree',
    'refs/heads/main',
  ]);
  return new Map(
    listing
      .split('\0')
      .filter(Boolean)
      .map(line => {
        const [meta, file] = line.split('\t');
        return [file, meta.split(' ')[2]] as [string, string];
      }),
  );
}

/** The blob id git gives `content` (`git hash-object`), to compare a pushed tree with expected bytes. */
export function gitBlobId(content: Buffer): string {
  return createHash('sha1')
    .update(`blob ${content.length}\0`)
    .update(content)
    .digest('hex');
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

/** What {@link throwawayDeployment} sets up; `pg` and `dataDir` are set in its beforeAll. */
export interface ThrowawayDeployment {
  pg: ThrowawayPostgres;
  /** The local data folder (bare repositories), shared by every backend of the suite. */
  dataDir: string;
  /** Free ports, as many as asked for. */
  ports: number[];
  /** Push each backend started here: they are stopped after the suite, before PostgreSQL. */
  backends: BackendProcess[];
}

/**
 * The shared opening of a reliability suite, for its describe: before the tests, a throwaway
 * PostgreSQL, a scratch data folder and `ports` free ports; after them, every backend in
 * `backends` stopped, PostgreSQL stopped and the scratch folders removed.
 */
export function throwawayDeployment(options: {
  dataDirPrefix: string;
  ports: number;
}): ThrowawayDeployment {
  const deployment = {
    ports: [],
    backends: [],
  } as unknown as ThrowawayDeployment;
  beforeAll(async () => {
    deployment.pg = await startPostgres();
    deployment.dataDir = await tempDir(options.dataDirPrefix);
    for (let i = 0; i < options.ports; i++)
      deployment.ports.push(await freePort());
  }, 120_000);
  afterAll(async () => {
    for (const b of deployment.backends) await b.stop();
    await deployment.pg?.stop();
  }, 120_000);
  return deployment;
}
