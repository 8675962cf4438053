// Starting the real backend the way the reliability suites need it: one process, or a throwaway
// deployment of several replicas on one PostgreSQL.
import {
  TEST_PLATFORM,
  freePort,
  startPostgres,
  tempDir,
  type ThrowawayPostgres,
} from '@paver/test-utils';
import {
  IN_MEMORY_SQLITE,
  localPublishingConfig,
  spawnBackend,
  waitForReady,
  type BackendProcess,
  type LocalPublishingOptions,
} from '../../backend/backendProcess';
import { waitForEntity } from '../../scaffolder/scaffolderApi';

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
      // One registry for every replica, as production names one: a service rendered on either
      // replica gets the same .npmrc. Nothing installs from it here.
      { paver: { packages: { registry: TEST_PLATFORM.npmRegistry } } },
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
