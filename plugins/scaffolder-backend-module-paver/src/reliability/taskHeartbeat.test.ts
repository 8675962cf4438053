import { createRequire } from 'node:module';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  resolvePackagePath,
  type LoggerService,
} from '@backstage/backend-plugin-api';
import { ConfigReader } from '@backstage/config';
import {
  emptyDatabase,
  startPostgres,
  type ThrowawayPostgres,
} from '@paver/test-utils';
import type { Knex } from '../github/pacingLedger';
import { insertTask } from '../__testUtils__/scaffolderTables';

// The scaffolder's own TaskManager, StorageTaskBroker and DatabaseTaskStore (scaffolder-backend
// 4.2.0 with Paver's patch, root README "Patches"). None is exported: loaded from the package's dist.
const scaffolderRequire = createRequire(
  resolvePackagePath('@backstage/plugin-scaffolder-backend', 'package.json'),
);
const { TaskManager, StorageTaskBroker } = scaffolderRequire(
  './dist/scaffolder/tasks/StorageTaskBroker.cjs.js',
);
const { DatabaseTaskStore } = scaffolderRequire(
  './dist/scaffolder/tasks/DatabaseTaskStore.cjs.js',
);

interface TaskStore {
  createTask(options: { spec: object }): Promise<{ taskId: string }>;
  claimTask(): Promise<
    | {
        id: string;
        spec: object;
        secrets?: object;
        createdBy?: string;
        state?: object;
      }
    | undefined
  >;
  heartbeatTask(taskId: string): Promise<void>;
  recoverTasks(options: {
    timeout: { seconds: number };
  }): Promise<{ ids: string[] }>;
}

interface ClaimedTask {
  readonly done: boolean;
}

const SPEC = {
  apiVersion: 'scaffolder.backstage.io/v1beta3',
  steps: [],
  parameters: {},
  output: {},
};

function recordingLogger() {
  const lines: Array<{ level: string; message: string; error?: unknown }> = [];
  const at = (level: string) => (message: string, error?: unknown) =>
    void lines.push({ level, message, error });
  const logger: LoggerService = {
    error: at('error'),
    warn: at('warn'),
    info: at('info'),
    debug: at('debug'),
    child: () => logger,
  };
  return {
    logger,
    lines,
    at: (level: string) => lines.filter(l => l.level === level),
  };
}

/**
 * The heartbeat a worker keeps on the task it runs, and the recovery that reopens a task whose
 * heartbeat went stale (docs/reliability.md, Faults row 9: each task runs exactly once; reliability README,
 * "PostgreSQL outage"). Unpatched, the heartbeat stops for good at the first failed beat, so a task
 * outliving a database outage longer than `staleTimeout` is reopened while it still runs; the
 * first and third tests fail without the patch.
 */
describe('scaffolder task heartbeat and recovery across a PostgreSQL outage (patched scaffolder-backend)', () => {
  let pg: ThrowawayPostgres;
  let db: Knex;
  let store: TaskStore;
  const running: Array<{
    isDone: boolean;
    heartbeatTimeoutId?: NodeJS.Timeout;
  }> = [];

  beforeAll(async () => {
    pg = await startPostgres();
    db = await emptyDatabase(pg, 'heartbeat');
    store = await DatabaseTaskStore.create({
      database: db,
      recoverTasksEnabled: true,
    });
  });
  afterAll(async () => {
    for (const manager of running) {
      manager.isDone = true;
      clearTimeout(manager.heartbeatTimeoutId);
    }
    await db?.destroy();
    await pg?.stop();
  });

  /** Creates and claims a task (status processing), then starts its heartbeat, as the worker does. */
  async function claimWithHeartbeat(
    logger: LoggerService,
  ): Promise<{ taskId: string; manager: ClaimedTask }> {
    const { taskId } = await store.createTask({ spec: SPEC });
    const claimed = await store.claimTask();
    expect(claimed?.id).toBe(taskId);
    const manager = TaskManager.create(
      {
        taskId,
        spec: claimed!.spec,
        secrets: claimed!.secrets,
        createdBy: claimed!.createdBy,
        state: claimed!.state,
      },
      store,
      new AbortController().signal,
      logger,
    );
    running.push(manager);
    return { taskId, manager };
  }

  /** Seconds since the task's last beat, on the database's clock. */
  async function heartbeatAge(taskId: string): Promise<number> {
    const { rows } = await db.raw(
      'select extract(epoch from now() - last_heartbeat_at)::float as age from tasks where id = ?',
      [taskId],
    );
    return rows[0].age;
  }

  async function until(
    check: () => Promise<boolean>,
    boundMs: number,
    what: string,
  ) {
    const deadline = Date.now() + boundMs;
    while (Date.now() < deadline) {
      if (await check().catch(() => false)) return;
      await sleep(200);
    }
    throw new Error(`timed out after ${boundMs} ms waiting for ${what}`);
  }

  it('keeps beating through a PostgreSQL outage longer than the stale timeout, so recovery does not reopen the task', async () => {
    const { lines, logger, at } = recordingLogger();
    const { taskId, manager } = await claimWithHeartbeat(logger);
    await sleep(1_500);
    expect(await heartbeatAge(taskId)).toBeLessThan(1.5);

    await pg.stopServer('fast');
    await sleep(5_000);
    await pg.startServer();

    // Back: the next beat lands within a second or two, before recovery (every 10 s) can find
    // the task stale with a 3 s timeout, shorter than the outage.
    await until(
      async () => (await heartbeatAge(taskId)) < 1.5,
      5_000,
      'a heartbeat after the outage',
    );
    expect(manager.done).toBe(false);
    expect(await store.recoverTasks({ timeout: { seconds: 3 } })).toEqual({
      ids: [],
    });
    expect(at('error'), JSON.stringify(lines)).toEqual([]);
    // Four or five beats failed: one warning, and one line once it beats again.
    expect(at('warn').map(l => l.message)).toEqual([
      `Heartbeat for task ${taskId} failed; retrying every second`,
    ]);
    expect(at('info').map(l => l.message)).toEqual([
      expect.stringMatching(
        new RegExp(
          `^Heartbeat for task ${taskId} succeeded again after failing for \\d+ s$`,
        ),
      ),
    ]);
  }, 60_000);

  it('stops beating once the task is no longer processing (ConflictError), and beats no more', async () => {
    const { logger, at } = recordingLogger();
    const heartbeat = vi.spyOn(store, 'heartbeatTask');
    try {
      const { taskId, manager } = await claimWithHeartbeat(logger);
      await sleep(1_500);
      // What recovery or another worker's completion does to the row under a running attempt.
      await db('tasks').where({ id: taskId }).update({ status: 'open' });
      await until(async () => manager.done, 3_000, 'the heartbeat to stop');
      expect(at('error')).toMatchObject([
        {
          message: `Heartbeat for task ${taskId} failed`,
          error: {
            name: 'ConflictError',
            message: `No running task with taskId ${taskId} found`,
          },
        },
      ]);
      const beats = heartbeat.mock.calls.filter(([id]) => id === taskId).length;
      await sleep(2_500);
      expect(heartbeat.mock.calls.filter(([id]) => id === taskId)).toHaveLength(
        beats,
      );
    } finally {
      heartbeat.mockRestore();
    }
  }, 30_000);

  it("recovers no task on the first run after the database was unreachable, and recovers a dead worker's task on the next", async () => {
    const { logger } = recordingLogger();
    const config = new ConfigReader({
      scaffolder: {
        taskRecovery: { enabled: true, staleTimeout: { seconds: 3 } },
      },
    });
    const broker = new StorageTaskBroker(store, logger, config);
    // Its worker died a minute ago: stale, whatever the outage.
    const orphan = await insertTask(db, {
      status: 'processing',
      heartbeatSecondsAgo: 60,
    });
    const status = async () =>
      (await db('tasks').where({ id: orphan }).first()).status;

    await pg.stopServer('fast');
    await expect(broker.recoverTasks()).rejects.toThrow();
    await pg.startServer();

    // The run right after the outage would come before a live worker's next beat: skipped.
    await broker.recoverTasks();
    expect(await status()).toBe('processing');
    // The run after it recovers as usual.
    await broker.recoverTasks();
    expect(await status()).toBe('open');
  }, 30_000);
});
