import type {
  AuthService,
  DiscoveryService,
} from '@backstage/backend-plugin-api';
import { NotImplementedError, ResponseError } from '@backstage/errors';
import {
  PRIORITIZE_PATH,
  type PrioritizeQueue,
  type PrioritizeRequest,
  type PrioritizeResponse,
} from '@paver/plugin-paver-common';

/**
 * Moves the given entities to the front of one of the catalog's queues (the catalog module
 * `@paver/plugin-catalog-backend-module-paver`); returns the refs it found and prioritized.
 */
export type Prioritize = (
  entityRefs: string[],
  queue?: PrioritizeQueue,
) => Promise<string[]>;

/** Calls the catalog's `POST /api/catalog/paver/prioritize` with this plugin's service token. */
export function createCatalogPrioritizer(options: {
  discovery: Pick<DiscoveryService, 'getBaseUrl'>;
  auth: Pick<AuthService, 'getOwnServiceCredentials' | 'getPluginRequestToken'>;
  fetch?: typeof fetch;
}): Prioritize {
  const doFetch = options.fetch ?? fetch;
  return async (entityRefs, queue = 'processing') => {
    const { token } = await options.auth.getPluginRequestToken({
      onBehalfOf: await options.auth.getOwnServiceCredentials(),
      targetPluginId: 'catalog',
    });
    // `queue` only when it is not the default, so an older route (no `queue`) still understands it.
    const request: PrioritizeRequest =
      queue === 'processing' ? { entityRefs } : { entityRefs, queue };
    const response = await doFetch(
      `${await options.discovery.getBaseUrl('catalog')}${PRIORITIZE_PATH}`,
      {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${token}`,
        },
        body: JSON.stringify(request),
      },
    );
    if (!response.ok) throw await ResponseError.fromResponse(response);
    // Read defensively: the route may be older (or newer) than this client.
    const body = (await response.json()) as Partial<
      Record<keyof PrioritizeResponse, unknown>
    >;
    // A route that predates `queue` ignores it and would move the processing rows again.
    if (queue === 'stitching' && body.queue !== 'stitching') {
      throw new NotImplementedError(
        'the catalog module does not support prioritizing the stitching queue',
      );
    }
    return Array.isArray(body.prioritized)
      ? body.prioritized.filter((r): r is string => typeof r === 'string')
      : [];
  };
}
