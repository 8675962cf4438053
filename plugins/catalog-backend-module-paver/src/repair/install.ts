import type {
  DatabaseService,
  LifecycleService,
  LoggerService,
  RootConfigService,
  SchedulerService,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { InputError, stringifyError } from '@backstage/errors';
import { canRepair, repairStitching } from './repair';

/** The scheduler's id for the repair: stable, so every replica claims the same global task. */
export const CATALOG_REPAIR_TASK_ID = 'paver-catalog-stitch-repair';

export const FREQUENCY_KEY = 'paver.catalogRepair.frequency';

type Frequency = SchedulerServiceTaskScheduleDefinition['frequency'];
const DURATION_UNITS = [
  'years',
  'months',
  'weeks',
  'days',
  'hours',
  'minutes',
  'seconds',
  'milliseconds',
] as const;

export interface CatalogRepairDeps {
  config: RootConfigService;
  /** The catalog's database (a catalog module's coreServices.database). */
  database: DatabaseService;
  scheduler: SchedulerService;
  logger: LoggerService;
  /** The catalog plugin's lifecycle: the task is scheduled once the catalog has run its migrations. */
  lifecycle: LifecycleService;
}

/**
 * The longest a run may hold the task's cluster-wide lock. A run takes well under a second plus
 * the 2 s settle; but a run that the database outage cut cannot release its lock, and no replica
 * runs the task again until the lock expires (Backstage's TaskWorker: "Task timed out and was
 * lost"), so this bounds how late the first run after an outage comes. With 2 minutes, the repair
 * came 2.5 minutes after PostgreSQL was back (pgOutage.e2e.test.ts).
 */
export const REPAIR_TIMEOUT = { seconds: 30 };

/**
 * `paver.catalogRepair.frequency`, an object as the scheduler takes it (`{ seconds: 30 }`); every
 * minute when absent. The string forms ('1m', 'PT1M') are not read: they need @backstage/config,
 * which this package does not depend on.
 */
export function readRepairFrequency(config: RootConfigService): Frequency {
  if (!config.has(FREQUENCY_KEY)) return { minutes: 1 };
  const bad = (got: unknown) =>
    new InputError(
      `${FREQUENCY_KEY} must be a positive duration object such as { seconds: 30 }, got ${JSON.stringify(
        got,
      )}`,
    );
  const value = config.get(FREQUENCY_KEY);
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw bad(value);
  const unknown = Object.keys(value).filter(
    k => !(DURATION_UNITS as readonly string[]).includes(k),
  );
  const entries = Object.entries(value);
  if (
    unknown.length > 0 ||
    entries.some(
      ([, v]) => typeof v !== 'number' || !Number.isFinite(v) || v < 0,
    ) ||
    !entries.some(([, v]) => (v as number) > 0)
  ) {
    throw bad(value);
  }
  return value as Frequency;
}

/**
 * Schedules {@link repairStitching} on the catalog's database as a cluster-wide singleton
 * (`scope: 'global'`: of N replicas on one database, one runs it at a time), every minute unless
 * `paver.catalogRepair.frequency` says otherwise (read at once: a bad value fails start-up), from
 * a startup hook: modules start before their plugin, and the catalog creates its tables when it
 * starts. A run that queues something logs the count and
 * the first refs at info; a run that finds nothing logs nothing; a failed run (the database is
 * down) warns, and the next run tries again. On a database other than PostgreSQL or SQLite it
 * does nothing and says so once at debug level.
 */
export function installCatalogRepair(deps: CatalogRepairDeps): void {
  const { config, database, scheduler, logger, lifecycle } = deps;
  const frequency = readRepairFrequency(config);
  let toldSkipped = false;

  async function run() {
    try {
      const knex = await database.getClient();
      if (!canRepair(knex)) {
        if (!toldSkipped) {
          logger.debug(
            'The catalog stitch repair runs on PostgreSQL and SQLite only: skipping',
          );
          toldSkipped = true;
        }
        return;
      }
      const { unstitched, unsearchable } = await repairStitching(knex);
      if (unstitched.length + unsearchable.length > 0) {
        logger.info(
          `Queued ${
            unstitched.length + unsearchable.length
          } catalog entities for stitching: ` +
            `${unstitched.length} processed but never stitched${sample(
              unstitched,
            )}, ` +
            `${unsearchable.length} stitched without search rows${sample(
              unsearchable,
            )}`,
        );
      }
    } catch (error) {
      // The next run tries again.
      logger.warn(`Catalog stitch repair failed: ${stringifyError(error)}`);
    }
  }

  lifecycle.addStartupHook(async () => {
    await scheduler.scheduleTask({
      id: CATALOG_REPAIR_TASK_ID,
      scope: 'global',
      frequency,
      timeout: REPAIR_TIMEOUT,
      fn: run,
    });
  });
}

function sample(refs: string[]): string {
  if (refs.length === 0) return '';
  return ` (${refs.slice(0, 5).join(', ')}${refs.length > 5 ? ', ...' : ''})`;
}
