import { ENGINES, testDatabases } from '@paver/test-utils';
import { TASKS_TABLE, deleteFinishedWorkspaces } from './cleanup';
import {
  insertTask,
  insertWorkspace,
  migrateScaffolder,
  migrateWorkspaceProvider,
  storedWorkspaceIds,
  type TaskRow,
} from '../__testUtils__/scaffolderTables';

const HOUR = 3600;
const MINUTES = (n: number) => n * 60;

describe.each(ENGINES)('deleteFinishedWorkspaces on %s', engine => {
  const { database } = testDatabases(engine, 'workspaces');

  it('deletes the workspaces of tasks that ended over an hour ago and of tasks that are gone, and nothing else', async () => {
    const db = await database();
    await migrateScaffolder(db);
    await migrateWorkspaceProvider(db);

    const tasks: Record<string, TaskRow & { deleted: boolean }> = {
      'completed 2 h ago': {
        status: 'completed',
        createdSecondsAgo: 3 * HOUR,
        heartbeatSecondsAgo: 2 * HOUR,
        deleted: true,
      },
      'failed 2 h ago': {
        status: 'failed',
        createdSecondsAgo: 3 * HOUR,
        heartbeatSecondsAgo: 2 * HOUR,
        deleted: true,
      },
      'cancelled 2 h ago': {
        status: 'cancelled',
        createdSecondsAgo: 3 * HOUR,
        heartbeatSecondsAgo: 2 * HOUR,
        deleted: true,
      },
      'cancelled before it ran, created 2 h ago': {
        status: 'cancelled',
        createdSecondsAgo: 2 * HOUR,
        deleted: true,
      },
      'failed 10 min ago': {
        status: 'failed',
        createdSecondsAgo: MINUTES(15),
        heartbeatSecondsAgo: MINUTES(10),
        deleted: false,
      },
      'cancelled 10 min ago': {
        status: 'cancelled',
        createdSecondsAgo: MINUTES(15),
        heartbeatSecondsAgo: MINUTES(10),
        deleted: false,
      },
      'failed 10 min ago after running for 3 h': {
        status: 'failed',
        createdSecondsAgo: 3 * HOUR,
        heartbeatSecondsAgo: MINUTES(10),
        deleted: false,
      },
      'processing, heartbeat now': {
        status: 'processing',
        createdSecondsAgo: 3 * HOUR,
        heartbeatSecondsAgo: 0,
        deleted: false,
      },
      // Its worker died two hours ago: recovery may still resume it on another replica.
      'processing, heartbeat 2 h ago (stale)': {
        status: 'processing',
        createdSecondsAgo: 3 * HOUR,
        heartbeatSecondsAgo: 2 * HOUR,
        deleted: false,
      },
      'open, created 2 h ago': {
        status: 'open',
        createdSecondsAgo: 2 * HOUR,
        deleted: false,
      },
      // A retry reopens a failed task and sets its heartbeat to now (DatabaseTaskStore.retryTask).
      'retried after failing 2 h ago': {
        status: 'open',
        createdSecondsAgo: 3 * HOUR,
        heartbeatSecondsAgo: 0,
        deleted: false,
      },
    };
    const ids: Record<string, string> = {};
    for (const [label, row] of Object.entries(tasks)) {
      ids[label] = await insertTask(db, row);
      await insertWorkspace(db, ids[label], row.createdSecondsAgo ?? 0);
    }
    // Workspaces whose task row is gone (deleted by an operator, say).
    ids['no task, stored 2 h ago'] = '00000000-0000-4000-8000-000000000001';
    await insertWorkspace(db, ids['no task, stored 2 h ago'], 2 * HOUR);
    ids['no task, stored 10 min ago'] = '00000000-0000-4000-8000-000000000002';
    await insertWorkspace(db, ids['no task, stored 10 min ago'], MINUTES(10));
    // A task that ended long ago without a stored workspace is simply not involved.
    const withoutWorkspace = await insertTask(db, {
      status: 'failed',
      createdSecondsAgo: 3 * HOUR,
      heartbeatSecondsAgo: 2 * HOUR,
    });

    const expectedDeleted = [
      ...Object.entries(tasks)
        .filter(([, row]) => row.deleted)
        .map(([label]) => label),
      'no task, stored 2 h ago',
    ];
    const byId = (labels: string[]) => labels.map(l => ids[l]).sort();
    const kept = Object.keys(ids).filter(
      label => !expectedDeleted.includes(label),
    );

    expect(await deleteFinishedWorkspaces(db, { graceSeconds: HOUR })).toEqual({
      deleted: expectedDeleted.length,
    });
    const label = Object.fromEntries(
      Object.entries(ids).map(([l, id]) => [id, l]),
    );
    expect((await storedWorkspaceIds(db)).map(id => label[id]).sort()).toEqual(
      kept.sort(),
    );
    expect(await storedWorkspaceIds(db)).toEqual(byId(kept));

    // The tasks themselves are never touched.
    const taskCount = await db(TASKS_TABLE).count({ n: '*' }).first();
    expect(Number(taskCount!.n)).toBe(Object.keys(tasks).length + 1);
    expect(
      await db(TASKS_TABLE).where({ id: withoutWorkspace }).first(),
    ).toBeDefined();

    // A second run finds nothing more; with no grace, the recent final ones and the recent orphan go
    // too, and still nothing of a task that may run again.
    expect(await deleteFinishedWorkspaces(db, { graceSeconds: HOUR })).toEqual({
      deleted: 0,
    });
    expect(await deleteFinishedWorkspaces(db, { graceSeconds: 0 })).toEqual({
      deleted: 4,
    });
    expect((await storedWorkspaceIds(db)).map(id => label[id]).sort()).toEqual(
      [
        'processing, heartbeat now',
        'processing, heartbeat 2 h ago (stale)',
        'open, created 2 h ago',
        'retried after failing 2 h ago',
      ].sort(),
    );
  });

  it('does nothing when the workspace provider never created its table', async () => {
    const db = await database();
    await migrateScaffolder(db);
    const id = await insertTask(db, {
      status: 'failed',
      createdSecondsAgo: 3 * HOUR,
      heartbeatSecondsAgo: 2 * HOUR,
    });
    expect(await deleteFinishedWorkspaces(db, { graceSeconds: HOUR })).toEqual({
      skipped: 'no-workspace-table',
    });
    expect(await db(TASKS_TABLE).where({ id }).first()).toBeDefined();
  });

  it('does nothing on a database the scaffolder has not migrated yet', async () => {
    const db = await database();
    expect(await deleteFinishedWorkspaces(db, { graceSeconds: HOUR })).toEqual({
      skipped: 'no-workspace-table',
    });
  });
});
