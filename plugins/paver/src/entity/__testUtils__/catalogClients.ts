import type { DiscoveryApi, FetchApi } from '@backstage/frontend-plugin-api';
import {
  CATALOG_BASE,
  catalogApisAnswering,
} from '../../api/__testUtils__/catalogApis';

/** A client of one of the catalog's Paver routes, built from the app's APIs as the cards build it. */
type CatalogRouteClient<C> = new (
  discovery: DiscoveryApi,
  fetchApi: FetchApi,
) => C;

/**
 * A fake catalog for testing `Client`: each call builds a client whose every request is answered
 * the same way, with the URLs it asked, so a test reads as what the catalog does.
 */
export function fakeCatalogFor<C>(Client: CatalogRouteClient<C>) {
  const answering = (response: Response) => {
    const { asked, discovery, fetchApi } = catalogApisAnswering(response);
    return { client: new Client(discovery, fetchApi), asked };
  };
  return {
    /** Where the fake discovery says the catalog is, which the asked URLs start with. */
    base: CATALOG_BASE,
    answering,
    /** Refused as not found, with the error body Backstage's error handler writes. */
    refusing: (message: string) =>
      answering(
        Response.json(
          { error: { name: 'NotFoundError', message } },
          { status: 404 },
        ),
      ),
    /** A proxy's page in front of the backend: a failure whose body is not the catalog's error. */
    behindBadGateway: () =>
      answering(
        new Response('<html>bad gateway</html>', {
          status: 502,
          statusText: 'Bad Gateway',
        }),
      ),
  };
}
