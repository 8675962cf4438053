import { randomUUID } from 'node:crypto';
import { resolvePackagePath } from '@backstage/backend-plugin-api';
import type { Knex } from '../github/pacingLedger';
import { TASKS_TABLE, WORKSPACES_TABLE } from '../workspaces/cleanup';

// The scaffolder's tables made by the migrations the real plugins run at start-up (same folders,
// same migration tables), so the cleanup meets the exact columns and types of 4.2.0 and 0.1.0.

/** Runs @backstage/plugin-scaffolder-backend's migrations (tasks, task_events), as the plugin does. */
export async function migrateScaffolder(db: Knex): Promise<void> {
  await db.migrate.latest({
    directory: resolvePackagePath(
      '@backstage/plugin-scaffolder-backend',
      'migrations',
    ),
  });
}

/** Runs the workspace-database module's migration (scaffolder_task_workspaces), as the module does. */
export async function migrateWorkspaceProvider(db: Knex): Promise<void> {
  await db.migrate.latest({
    directory: resolvePackagePath(
      '@backstage/plugin-scaffolder-backend-module-workspace-database',
      'migrations',
    ),
    tableName: 'scaffolder_workspace_database_migrations',
  });
}

/** `seconds` before now on the database's clock, written the way the scaffolder writes times there. */
export function ago(db: Knex, seconds: number) {
  return db.client.dialect === 'postgresql'
    ? db.raw('now() - cast(? as interval)', [`${seconds} seconds`])
    : db.raw(`datetime('now', ?)`, [`-${seconds} seconds`]);
}

export interface TaskRow {
  status: string;
  /** Seconds ago; the scaffolder's default (now) when absent. */
  createdSecondsAgo?: number;
  /** Seconds ago; null (never claimed) when absent. */
  heartbeatSecondsAgo?: number;
}

/** Inserts a task as the scaffolder stores it; returns its id. */
export async function insertTask(db: Knex, row: TaskRow): Promise<string> {
  const id = randomUUID();
  await db(TASKS_TABLE).insert({
    id,
    spec: JSON.stringify({
      apiVersion: 'scaffolder.backstage.io/v1beta3',
      steps: [],
    }),
    status: row.status,
    ...(row.createdSecondsAgo !== undefined
      ? { created_at: ago(db, row.createdSecondsAgo) }
      : {}),
    ...(row.heartbeatSecondsAgo !== undefined
      ? { last_heartbeat_at: ago(db, row.heartbeatSecondsAgo) }
      : {}),
  });
  return id;
}

/** Stores a workspace for `taskId` as the provider does (a tar-sized blob), `storedSecondsAgo` ago. */
export async function insertWorkspace(
  db: Knex,
  taskId: string,
  storedSecondsAgo = 0,
): Promise<void> {
  await db(WORKSPACES_TABLE).insert({
    task_id: taskId,
    workspace: Buffer.alloc(64 * 1024, 7),
    created_at: ago(db, storedSecondsAgo),
  });
}

/** The task ids that still have a stored workspace, sorted. */
export async function storedWorkspaceIds(db: Knex): Promise<string[]> {
  const rows: { task_id: string }[] = await db(WORKSPACES_TABLE).select(
    'task_id',
  );
  return rows.map(r => r.task_id).sort();
}
