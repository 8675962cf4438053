import type {
  AuthService,
  DiscoveryService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { ResponseError } from '@backstage/errors';

/** The search plugin's task that collates the catalog (`search_index_<type>`, type `software-catalog`). */
export const CATALOG_INDEX_TASK = 'search_index_software_catalog';

/** Asks search to index the catalog again soon; never throws. */
export type RefreshSearchIndex = () => void;

/** How {@link createSearchIndexRefresher} reaches the search plugin. */
export interface SearchIndexRefresherOptions {
  discovery: Pick<DiscoveryService, 'getBaseUrl'>;
  auth: Pick<AuthService, 'getOwnServiceCredentials' | 'getPluginRequestToken'>;
  logger: Pick<LoggerService, 'warn'>;
  fetch?: typeof fetch;
  /** While a collation runs (409), how long to wait before asking again. @default 1000 */
  retryIntervalMs?: number;
  /** Give up after this long; the collator's own schedule then picks the entity up. @default 60000 */
  giveUpAfterMs?: number;
}

/**
 * Triggers the search plugin's catalog collation through Backstage's scheduler API
 * (`POST /api/search/.backstage/scheduler/v1/tasks/<id>/trigger`, with this plugin's service
 * token), so a service just registered is findable in seconds rather than at the next scheduled
 * collation (10 minutes by default). A collation already running may have read the catalog before
 * the new entity was served, so a 409 is retried until a run starts after the request. Requests
 * made while one is still waiting share it. Search freshness never fails a task: errors are logged.
 */
export function createSearchIndexRefresher(
  options: SearchIndexRefresherOptions,
): RefreshSearchIndex {
  const doFetch = options.fetch ?? fetch;
  const retryIntervalMs = options.retryIntervalMs ?? 1000;
  const giveUpAfterMs = options.giveUpAfterMs ?? 60_000;
  let waiting: Promise<void> | undefined;

  const triggerOnce = async (): Promise<'triggered' | 'running'> => {
    const { token } = await options.auth.getPluginRequestToken({
      onBehalfOf: await options.auth.getOwnServiceCredentials(),
      targetPluginId: 'search',
    });
    const response = await doFetch(
      `${await options.discovery.getBaseUrl(
        'search',
      )}/.backstage/scheduler/v1/tasks/${CATALOG_INDEX_TASK}/trigger`,
      { method: 'POST', headers: { authorization: `Bearer ${token}` } },
    );
    if (response.status === 409) return 'running';
    if (!response.ok) throw await ResponseError.fromResponse(response);
    return 'triggered';
  };

  const triggerUntilStarted = async () => {
    const deadline = Date.now() + giveUpAfterMs;
    while ((await triggerOnce()) === 'running') {
      if (Date.now() + retryIntervalMs > deadline) {
        throw new Error(`the collation kept running for ${giveUpAfterMs} ms`);
      }
      await new Promise(resolve => setTimeout(resolve, retryIntervalMs));
    }
  };

  return () => {
    if (waiting) return;
    waiting = triggerUntilStarted()
      .catch(error =>
        options.logger.warn(
          `could not ask search to index the catalog now (${
            (error as Error).message
          }); the new entity is findable after the next scheduled collation`,
        ),
      )
      .finally(() => {
        waiting = undefined;
      });
  };
}
