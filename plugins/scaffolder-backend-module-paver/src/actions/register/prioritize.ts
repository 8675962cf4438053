import type {
  AuthService,
  DiscoveryService,
} from '@backstage/backend-plugin-api';
import { ResponseError } from '@backstage/errors';

/**
 * Moves the given entities to the front of one of the catalog's queues (the catalog module
 * `@paver/plugin-catalog-backend-module-paver`); returns the refs it found and prioritized.
 * `processing` (the default): their refresh_state rows. `stitching`: the stitch_queue rows of
 * entities already processed, so they are written to final_entities (served) next.
 */
export type Prioritize = (
  entityRefs: string[],
  queue?: 'processing' | 'stitching',
) => Promise<string[]>;

/** Calls `POST /api/catalog/paver/prioritize` with this plugin's service token. */
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
    const response = await doFetch(
      `${await options.discovery.getBaseUrl('catalog')}/paver/prioritize`,
      {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${token}`,
        },
        body: JSON.stringify(
          queue === 'processing' ? { entityRefs } : { entityRefs, queue },
        ),
      },
    );
    if (!response.ok) throw await ResponseError.fromResponse(response);
    const body = (await response.json()) as {
      queue?: unknown;
      prioritized?: unknown;
    };
    // A route that predates `queue` ignores it and would move the processing rows again.
    if (queue === 'stitching' && body.queue !== 'stitching') {
      throw new Error(
        'the catalog module does not support prioritizing the stitching queue',
      );
    }
    return Array.isArray(body.prioritized)
      ? body.prioritized.filter((r): r is string => typeof r === 'string')
      : [];
  };
}
