import type { AuthService, DiscoveryService } from '@backstage/backend-plugin-api';
import { ResponseError } from '@backstage/errors';

/**
 * Moves the given entities to the front of the catalog's processing queue (the catalog module
 * `@paver/plugin-catalog-backend-module-paver`); returns the refs it found and prioritized.
 */
export type Prioritize = (entityRefs: string[]) => Promise<string[]>;

/** Calls `POST /api/catalog/paver/prioritize` with this plugin's service token. */
export function createCatalogPrioritizer(options: {
  discovery: Pick<DiscoveryService, 'getBaseUrl'>;
  auth: Pick<AuthService, 'getOwnServiceCredentials' | 'getPluginRequestToken'>;
  fetch?: typeof fetch;
}): Prioritize {
  const doFetch = options.fetch ?? fetch;
  return async entityRefs => {
    const { token } = await options.auth.getPluginRequestToken({
      onBehalfOf: await options.auth.getOwnServiceCredentials(),
      targetPluginId: 'catalog',
    });
    const response = await doFetch(`${await options.discovery.getBaseUrl('catalog')}/paver/prioritize`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ entityRefs }),
    });
    if (!response.ok) throw await ResponseError.fromResponse(response);
    const body = (await response.json()) as { prioritized?: unknown };
    return Array.isArray(body.prioritized) ? body.prioritized.filter((r): r is string => typeof r === 'string') : [];
  };
}
