import type { DiscoveryApi, FetchApi } from '@backstage/frontend-plugin-api';

/** A Paver route under the catalog plugin refused: `status` as answered, `message` its reason. */
export class CatalogRouteError extends Error {
  constructor(message: string, readonly status: number) {
    super(message);
    this.name = 'CatalogRouteError';
  }
}

/**
 * `GET <catalog base URL><path>?<query>` through the app's discovery and authenticated fetch, for
 * the catalog module's Paver routes. A refusal throws CatalogRouteError with the server's reason
 * (Backstage's error handler answers `{ error: { message } }`; the 404s name what is missing),
 * which is what the cards show; `what` names the request when the body has no reason.
 */
export async function getFromCatalog<T>(
  apis: { discovery: DiscoveryApi; fetchApi: FetchApi },
  path: string,
  query: Record<string, string>,
  what: string,
): Promise<T> {
  const base = await apis.discovery.getBaseUrl('catalog');
  const response = await apis.fetchApi.fetch(
    `${base}${path}?${new URLSearchParams(query)}`,
  );
  if (!response.ok) {
    const body = await response.json().catch(() => undefined);
    throw new CatalogRouteError(
      body?.error?.message ??
        `${what}: ${response.status} ${response.statusText}`,
      response.status,
    );
  }
  return (await response.json()) as T;
}
