import type { Knex } from '../github/pacingLedger';

/**
 * Where `@backstage/plugin-scaffolder-backend-module-workspace-database` 0.1.0 stores workspaces
 * (its migration 20250122000000_task_workspaces): `task_id` (string, primary key), `workspace`
 * (the tar), `created_at` (the first time it was stored; an update replaces only `workspace`).
 */
export const WORKSPACES_TABLE = 'scaffolder_task_workspaces';

/** The scaffolder's own tasks: `id` (uuid), `status`, `created_at`, `last_heartbeat_at`. */
export const TASKS_TABLE = 'tasks';

/**
 * The statuses `DatabaseTaskStore.completeTask` ends a task with. A task leaves them only through
 * a retry, which reopens it and sets `last_heartbeat_at` to now, so the grace period covers it.
 */
export const FINAL_STATUSES = ['completed', 'failed', 'cancelled'] as const;

export type WorkspaceCleanupResult =
  | { deleted: number }
  /** No stored workspaces to clean: the provider is not installed, or the scaffolder has not migrated yet. */
  | { skipped: 'no-workspace-table' }
  /** A database other than PostgreSQL or SQLite: the time arithmetic below is written for those two. */
  | { skipped: 'unsupported-database' };

/**
 * Deletes the stored workspaces nothing will restore: those of a task in a final state whose last
 * heartbeat (or creation, if it never ran) is more than `graceSeconds` ago, and those whose task
 * no longer exists, stored more than `graceSeconds` ago. The runner deletes a workspace only when
 * its task completes; failed and cancelled tasks keep theirs (~290 KB each) otherwise.
 *
 * One statement, so a task that is retried (reopened) between the check and the delete cannot
 * lose the workspace it is about to restore. Open and processing tasks are never touched, stale
 * or not: task recovery may still resume them.
 */
export async function deleteFinishedWorkspaces(
  db: Knex,
  options: { graceSeconds: number },
): Promise<WorkspaceCleanupResult> {
  const dialect = db.client.dialect;
  if (dialect !== 'postgresql' && dialect !== 'sqlite3')
    return { skipped: 'unsupported-database' };
  if (
    !(await db.schema.hasTable(WORKSPACES_TABLE)) ||
    !(await db.schema.hasTable(TASKS_TABLE))
  ) {
    return { skipped: 'no-workspace-table' };
  }
  const grace = Math.max(0, Math.floor(options.graceSeconds));
  // Both on the database's clock. SQLite keeps these columns as 'YYYY-MM-DD HH:MM:SS' text (UTC);
  // datetime() normalises other spellings before the comparison.
  const olderThanGrace = (column: string) =>
    dialect === 'postgresql'
      ? db.raw(`${column} <= now() - cast(? as interval)`, [`${grace} seconds`])
      : db.raw(`datetime(${column}) <= datetime('now', ?)`, [
          `-${grace} seconds`,
        ]);
  // tasks.id is a uuid on PostgreSQL, task_id a string: compare as text.
  const ownTask = () =>
    db(TASKS_TABLE)
      .select(db.raw('1'))
      .whereRaw(
        `cast(${TASKS_TABLE}.id as text) = ${WORKSPACES_TABLE}.task_id`,
      );

  const deleted = await db(WORKSPACES_TABLE)
    .whereExists(
      ownTask()
        .whereIn(`${TASKS_TABLE}.status`, [...FINAL_STATUSES])
        .andWhere(
          olderThanGrace(
            `coalesce(${TASKS_TABLE}.last_heartbeat_at, ${TASKS_TABLE}.created_at)`,
          ),
        ),
    )
    .orWhere(orphan =>
      orphan
        .whereNotExists(ownTask())
        .andWhere(olderThanGrace(`${WORKSPACES_TABLE}.created_at`)),
    )
    .delete();
  return { deleted: Number(deleted) };
}
