import {
  coreServices,
  type LoggerService,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { fixedService, recordingScheduler } from '@paver/test-utils';
import type { ConfigReader } from '@backstage/config';
import type { Knex } from '../github/pacingLedger';
import { tempDir } from '../__testUtils__/mockContext';
import { testDatabases } from '@paver/test-utils';
import { paverWorkspaceCleanupModule } from '../modules/workspaceCleanupModule';
import { WORKSPACE_CLEANUP_TASK_ID } from './install';
import {
  insertTask,
  insertWorkspace,
  migrateScaffolder,
  migrateWorkspaceProvider,
  storedWorkspaceIds,
} from '../__testUtils__/scaffolderTables';

type JsonObject = NonNullable<ConstructorParameters<typeof ConfigReader>[0]>;

function recordingLogger() {
  const lines: string[] = [];
  const logger: LoggerService = {
    debug: m => lines.push(`debug: ${m}`),
    info: m => lines.push(`info: ${m}`),
    warn: m => lines.push(`warn: ${m}`),
    error: m => lines.push(`error: ${m}`),
    child: () => logger,
  };
  return { lines, logger };
}

/** The module as the backend starts it, on `db` as the scaffolder's database, with a scheduler that records. */
async function start(db: Knex, scaffolder: JsonObject) {
  const { scheduler, scheduled } = recordingScheduler();
  const { lines, logger } = recordingLogger();
  const backend = await startTestBackend({
    features: [
      paverWorkspaceCleanupModule,
      fixedService(coreServices.scheduler, scheduler),
      fixedService(coreServices.database, { getClient: async () => db }),
      fixedService(coreServices.logger, logger),
      mockServices.rootConfig.factory({
        data: {
          paver: { publish: { local: { dataDir: await tempDir() } } },
          scaffolder,
        },
      }),
      mockServices.httpAuth.factory({
        defaultCredentials: mockCredentials.none(),
      }),
    ],
  });
  const cleanup = () => scheduled.find(t => t.id === WORKSPACE_CLEANUP_TASK_ID);
  return { backend, scheduled, cleanup, lines };
}

const HOUR = 3600;
const WITH_PROVIDER = {
  taskRecovery: { enabled: true, workspaceProvider: 'database' },
};

describe('the stored workspace cleanup as the module wires it', () => {
  const { database: sqlite } = testDatabases('SQLite');

  it('schedules one cluster-wide task, hourly after 5 minutes, that cleans the scaffolder database', async () => {
    const db = await sqlite();
    await migrateScaffolder(db);
    await migrateWorkspaceProvider(db);
    const failedLongAgo = await insertTask(db, {
      status: 'failed',
      createdSecondsAgo: 3 * HOUR,
      heartbeatSecondsAgo: 2 * HOUR,
    });
    const running = await insertTask(db, {
      status: 'processing',
      createdSecondsAgo: 3 * HOUR,
      heartbeatSecondsAgo: 0,
    });
    await insertWorkspace(db, failedLongAgo, 3 * HOUR);
    await insertWorkspace(db, running, 3 * HOUR);

    const { backend, cleanup, lines } = await start(db, WITH_PROVIDER);
    expect(cleanup()).toMatchObject({
      scope: 'global',
      frequency: { hours: 1 },
      initialDelay: { minutes: 5 },
    });
    await cleanup()!.fn(new AbortController().signal);
    expect(await storedWorkspaceIds(db)).toEqual([running]);
    expect(lines).toContain(
      'info: Deleted 1 stored workspace(s) of finished or removed tasks',
    );
    await backend.stop();
  });

  it('does nothing without the workspace table, and says so once at debug level', async () => {
    const db = await sqlite();
    await migrateScaffolder(db);
    const { backend, cleanup, lines } = await start(db, WITH_PROVIDER);
    await cleanup()!.fn(new AbortController().signal);
    await cleanup()!.fn(new AbortController().signal);
    const told = lines.filter(l => l.includes('scaffolder_task_workspaces'));
    expect(told).toEqual([
      expect.stringMatching(/^debug: No scaffolder_task_workspaces table/),
    ]);
    expect(
      lines.filter(l => /^(warn|error|info): .*workspace/.test(l)),
    ).toEqual([]);
    await backend.stop();
  });

  it('schedules nothing where workspaces are not stored in the database (the embedded default), and says so once at debug level', async () => {
    const db = await sqlite();
    const { backend, cleanup, lines } = await start(db, {
      taskRecovery: { enabled: true },
    });
    expect(cleanup()).toBeUndefined();
    expect(lines.filter(l => l.includes('no stored workspaces'))).toEqual([
      'debug: Workspace provider is not set: no stored workspaces in the database to clean',
    ]);
    await backend.stop();
  });

  it("follows the scaffolder's legacy switch, whose provider defaults to database", async () => {
    const db = await sqlite();
    const { backend, cleanup } = await start(db, {
      EXPERIMENTAL_workspaceSerialization: true,
    });
    expect(cleanup()).toBeDefined();
    await backend.stop();
  });
});
