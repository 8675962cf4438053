import {
  coreServices,
  createBackendPlugin,
  type LoggerService,
} from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
import { fixedService, recordingScheduler } from '@paver/test-utils';
import type { Knex } from 'knex';
import { catalogModulePaver } from '../module';
import { CATALOG_REPAIR_TASK_ID, REPAIR_TIMEOUT } from './install';
import {
  catalogDatabase,
  insertProcessed,
  refOf,
  stateOf,
} from '../__testUtils__/testCatalog';

type JsonObject = NonNullable<
  NonNullable<Parameters<typeof mockServices.rootConfig.factory>[0]>['data']
>;

/** The module as the backend starts it, on `db` as the catalog's database, with a scheduler and a logger that record. */
async function start(db: Knex, paver?: JsonObject) {
  const { scheduler, scheduled } = recordingScheduler();
  const lines: string[] = [];
  const logger: LoggerService = {
    debug: m => lines.push(`debug: ${m}`),
    info: m => lines.push(`info: ${m}`),
    warn: m => lines.push(`warn: ${m}`),
    error: m => lines.push(`error: ${m}`),
    child: () => logger,
  };
  // A stand-in for the catalog plugin, which creates its tables when it starts (after its modules).
  let scheduledWhenCatalogStarted: number | undefined;
  const catalogPlugin = createBackendPlugin({
    pluginId: 'catalog',
    register({ registerInit }) {
      registerInit({
        deps: {},
        async init() {
          scheduledWhenCatalogStarted = scheduled.length;
        },
      });
    },
  });
  const backend = await startTestBackend({
    // The module also adds a processor; the stand-in catalog takes it and runs nothing.
    extensionPoints: [[catalogProcessingExtensionPoint, { addProcessor() {} }]],
    features: [
      catalogPlugin,
      catalogModulePaver,
      fixedService(coreServices.scheduler, scheduler),
      fixedService(coreServices.database, { getClient: async () => db }),
      fixedService(coreServices.logger, logger),
      mockServices.rootConfig.factory({ data: paver ? { paver } : {} }),
    ],
  });
  const repair = () => scheduled.find(t => t.id === CATALOG_REPAIR_TASK_ID);
  return { backend, repair, lines, scheduledWhenCatalogStarted };
}

describe('the catalog stitch repair as the module wires it', () => {
  const clients: Knex[] = [];
  async function sqlite() {
    const db = await catalogDatabase(undefined, 'unused');
    clients.push(db);
    return db;
  }
  afterAll(async () => {
    await Promise.all(clients.map(c => c.destroy()));
  });

  it('schedules one cluster-wide task every minute, once the catalog has started, that queues what it finds on the catalog database, and says so once', async () => {
    const db = await sqlite();
    await insertProcessed(db, 'cut-before-queueing');
    const { backend, repair, lines, scheduledWhenCatalogStarted } = await start(
      db,
    );
    expect(repair()).toMatchObject({
      scope: 'global',
      frequency: { minutes: 1 },
      timeout: REPAIR_TIMEOUT,
    });
    expect(
      scheduledWhenCatalogStarted,
      'tasks scheduled before the catalog plugin started',
    ).toBe(0);

    await repair()!.fn(new AbortController().signal);
    expect((await stateOf(db, 'cut-before-queueing')).queued).toMatchObject({
      due: true,
    });
    expect(lines.filter(l => l.includes('stitch'))).toEqual([
      `info: Queued 1 catalog entities for stitching: 1 processed but never stitched (${refOf(
        'cut-before-queueing',
      )}), 0 stitched without search rows`,
    ]);
    // Queued now: the next run finds nothing and logs nothing.
    await repair()!.fn(new AbortController().signal);
    expect(lines.filter(l => l.includes('stitch'))).toHaveLength(1);
    await backend.stop();
  });

  it('takes its frequency from paver.catalogRepair.frequency', async () => {
    const { backend, repair } = await start(await sqlite(), {
      catalogRepair: { frequency: { seconds: 5 } },
    });
    expect(repair()).toMatchObject({ frequency: { seconds: 5 } });
    await backend.stop();
  });

  it.each([['5s'], [{ seconds: 0 }], [{ secs: 5 }], [{ seconds: -1 }]])(
    'refuses to start with frequency %j',
    async frequency => {
      await expect(
        start(await sqlite(), { catalogRepair: { frequency } }),
      ).rejects.toThrow(
        /paver\.catalogRepair\.frequency must be a positive duration object such as \{ seconds: 30 \}/,
      );
    },
  );

  it('warns when a run fails (the database is down) and tries again on the next run', async () => {
    const db = await sqlite();
    const { backend, repair, lines } = await start(db);
    await db.schema.renameTable('stitch_queue', 'stitch_queue_away');
    await insertProcessed(db, 'cut-before-queueing');
    await repair()!.fn(new AbortController().signal);
    expect(
      lines.filter(l => l.startsWith('warn: Catalog stitch repair failed')),
    ).toHaveLength(1);
    await db.schema.renameTable('stitch_queue_away', 'stitch_queue');
    await repair()!.fn(new AbortController().signal);
    expect((await stateOf(db, 'cut-before-queueing')).queued).not.toBeNull();
    await backend.stop();
  });
});
