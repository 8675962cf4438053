/** The catalog's base URL the fake discovery answers. */
export const CATALOG_BASE = 'http://localhost:7007/api/catalog';

/**
 * Discovery and fetch for a client of the catalog's Paver routes: discovery knows only the
 * catalog, fetch answers `response` and records every URL asked.
 */
export function catalogApisAnswering(response: Response) {
  const asked: string[] = [];
  return {
    asked,
    discovery: {
      getBaseUrl: async (plugin: string) =>
        plugin === 'catalog' ? CATALOG_BASE : 'wrong',
    },
    fetchApi: {
      fetch: async (input: RequestInfo | URL) => {
        asked.push(String(input));
        return response;
      },
    },
  };
}
