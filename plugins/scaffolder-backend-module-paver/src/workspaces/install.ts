import type {
  DatabaseService,
  LoggerService,
  RootConfigService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import { stringifyError } from '@backstage/errors';
import { WORKSPACES_TABLE, deleteFinishedWorkspaces } from './cleanup';

/** The scheduler's id for the cleanup: stable, so every replica claims the same global task. */
export const WORKSPACE_CLEANUP_TASK_ID = 'paver-scaffolder-workspace-cleanup';

/**
 * How long a finished task keeps its stored workspace, after its last heartbeat: time for a retry
 * (`POST /v2/tasks/:id/retry` restores it) and for whoever looks into a failure.
 */
export const WORKSPACE_GRACE_SECONDS = 3600;

export interface WorkspaceCleanupDeps {
  config: RootConfigService;
  /** The scaffolder's database (a scaffolder module's coreServices.database), where the provider stores workspaces. */
  database: DatabaseService;
  scheduler: SchedulerService;
  logger: LoggerService;
}

/**
 * The workspace provider the scaffolder uses, read as its resolveWorkspaceProvider (4.2.0) does:
 * `scaffolder.taskRecovery.workspaceProvider`, else the legacy
 * `scaffolder.EXPERIMENTAL_workspaceSerialization` (whose provider defaults to `database`).
 */
export function configuredWorkspaceProvider(
  config: RootConfigService,
): string | undefined {
  const legacy =
    config.getOptionalBoolean(
      'scaffolder.EXPERIMENTAL_workspaceSerialization',
    ) ?? false;
  return (
    config.getOptionalString('scaffolder.taskRecovery.workspaceProvider') ??
    (legacy
      ? config.getOptionalString(
          'scaffolder.EXPERIMENTAL_workspaceSerializationProvider',
        ) ?? 'database'
      : undefined)
  );
}

/**
 * Schedules the removal of stored workspaces nothing will restore (see deleteFinishedWorkspaces):
 * hourly, first a few minutes after start-up, as a cluster-wide singleton (`scope: 'global'`: of N
 * replicas on one database, one runs it at a time). Only where the scaffolder stores workspaces
 * in its database (provider `database`); elsewhere (the embedded default) it schedules nothing and
 * says so once at debug level, as a run does that finds no workspace table.
 */
export async function installWorkspaceCleanup(
  deps: WorkspaceCleanupDeps,
): Promise<void> {
  const { config, database, scheduler, logger } = deps;
  const provider = configuredWorkspaceProvider(config);
  if (provider !== 'database') {
    logger.debug(
      `Workspace provider is ${
        provider ? `'${provider}'` : 'not set'
      }: no stored workspaces in the database to clean`,
    );
    return;
  }
  let toldSkipped = false;
  await scheduler.scheduleTask({
    id: WORKSPACE_CLEANUP_TASK_ID,
    scope: 'global',
    frequency: { hours: 1 },
    initialDelay: { minutes: 5 },
    timeout: { minutes: 5 },
    fn: async () => {
      try {
        const result = await deleteFinishedWorkspaces(
          await database.getClient(),
          {
            graceSeconds: WORKSPACE_GRACE_SECONDS,
          },
        );
        if ('skipped' in result) {
          if (!toldSkipped) {
            logger.debug(
              result.skipped === 'no-workspace-table'
                ? `No ${WORKSPACES_TABLE} table (workspace provider 'database' not installed yet): no stored workspaces to clean`
                : 'Stored workspaces are cleaned on PostgreSQL and SQLite only: skipping',
            );
            toldSkipped = true;
          }
        } else if (result.deleted > 0) {
          logger.info(
            `Deleted ${result.deleted} stored workspace(s) of finished or removed tasks`,
          );
        }
      } catch (error) {
        // The next run tries again.
        logger.warn(
          `Stored workspace cleanup failed: ${stringifyError(error)}`,
        );
      }
    },
  });
}
