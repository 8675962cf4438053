import type {
  AuthService,
  DiscoveryService,
  HttpAuthService,
  HttpRouterService,
  LoggerService,
  SchedulerService,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import { ServiceUnavailableError, stringifyError } from '@backstage/errors';
import type { PaverScaffolderConfig } from '../config';
import type { LocalRepositories } from '../local/localRepositories';
import type { GithubClient } from '../github';
import { githubRepositorySource } from './githubSource';
import { localRepositorySource } from './localSource';
import {
  reconcile,
  type ReconcileOptions,
  type ReconcileReport,
  type RepositorySource,
} from './reconcile';
import { createReconcileRouter } from './router';

/** The scheduler's id for the reconciler: stable, so every replica claims the same global task. */
export const RECONCILE_TASK_ID = 'paver-scaffolder-reconcile';

export interface ReconcilerDeps {
  /** The process's GitHub client (the publisher's, so both take from one budget); GitHub provider only. */
  githubClient?: GithubClient;
  settings: PaverScaffolderConfig;
  repos: LocalRepositories;
  catalog: ReconcileOptions['catalog'];
  auth: AuthService;
  discovery: DiscoveryService;
  logger: LoggerService;
  scheduler: SchedulerService;
  httpRouter: HttpRouterService;
  httpAuth: HttpAuthService;
  userInfo: UserInfoService;
}

/**
 * Wires the reconciler for the configured provider: the on-demand route, and (unless
 * `paver.reconcile.enabled` is false) a global scheduled task. `scope: 'global'` makes the task a
 * cluster-wide singleton on a shared database: of N replicas, one runs it at a time. Runs in one
 * process never overlap (the route waits for a scheduled run in progress, and the other way round).
 */
export async function installReconciler(deps: ReconcilerDeps): Promise<void> {
  const { settings, logger } = deps;
  const source = repositorySource(deps);
  let tail: Promise<unknown> = Promise.resolve();
  const run = (signal?: AbortSignal): Promise<ReconcileReport> => {
    const next = tail.then(async () => {
      if (!source) {
        throw new ServiceUnavailableError(
          'the reconciler has no GitHub owner to list (paver.publish.github.owner)',
        );
      }
      const credentials = await deps.auth.getOwnServiceCredentials();
      return reconcile({
        source,
        catalog: deps.catalog,
        credentials,
        logger,
        signal,
      });
    });
    tail = next.catch(() => undefined);
    return next;
  };

  deps.httpRouter.use(
    createReconcileRouter({
      httpAuth: deps.httpAuth,
      userInfo: deps.userInfo,
      run: () => run(),
    }),
  );

  if (!settings.reconcile.enabled || !source) return;
  await deps.scheduler.scheduleTask({
    id: RECONCILE_TASK_ID,
    scope: 'global',
    frequency: settings.reconcile.frequency,
    // Long enough for a large organisation listed under a rate-limit pause; a stuck run is released.
    timeout: { minutes: 30 },
    initialDelay: { minutes: 1 },
    fn: async signal => {
      try {
        await run(signal);
      } catch (error) {
        // The next run tries again; one failed listing must not stop the schedule.
        logger.warn(`Reconciler run failed: ${stringifyError(error)}`);
      }
    },
  });
}

function repositorySource(deps: ReconcilerDeps): RepositorySource | undefined {
  const { settings } = deps;
  if (settings.publish.provider === 'local') {
    return localRepositorySource(deps.repos, () =>
      deps.discovery.getExternalBaseUrl('scaffolder'),
    );
  }
  const github = settings.publish.github;
  if (!github || !deps.githubClient) return undefined;
  return githubRepositorySource({
    client: deps.githubClient,
    owner: github.owner,
  });
}
