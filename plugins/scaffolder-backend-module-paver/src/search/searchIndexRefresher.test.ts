import { createSearchIndexRefresher } from './searchIndexRefresher';

/** A search plugin that answers the given statuses in turn and records each request. */
function searchPlugin(...statuses: number[]) {
  const requests: { url: string; init: RequestInit }[] = [];
  const warnings: string[] = [];
  let settle: () => void = () => {};
  const done = new Promise<void>(resolve => (settle = resolve));
  const fetch = async (url: string | URL | Request, init?: RequestInit) => {
    requests.push({ url: String(url), init: init! });
    const status = statuses.shift() ?? 200;
    if (statuses.length === 0) setTimeout(settle, 5);
    return new Response(
      status === 500 ? JSON.stringify({ error: { message: 'boom' } }) : null,
      { status },
    );
  };
  const refresh = createSearchIndexRefresher({
    discovery: { getBaseUrl: async id => `http://backend/api/${id}` },
    auth: {
      getOwnServiceCredentials: async () => ({
        $$type: '@backstage/BackstageCredentials',
        principal: { type: 'service', subject: 'plugin:scaffolder' },
      }),
      getPluginRequestToken: async ({ targetPluginId }) => ({
        token: `token-for-${targetPluginId}`,
      }),
    },
    logger: { warn: message => warnings.push(message) },
    fetch: fetch as typeof globalThis.fetch,
    retryIntervalMs: 5,
    giveUpAfterMs: 200,
  });
  return { refresh, requests, warnings, done };
}

describe('createSearchIndexRefresher', () => {
  it("triggers the search plugin's catalog collation with a service token for search", async () => {
    const search = searchPlugin(200);
    search.refresh();
    await search.done;
    expect(search.requests).toEqual([
      {
        url: 'http://backend/api/search/.backstage/scheduler/v1/tasks/search_index_software_catalog/trigger',
        init: {
          method: 'POST',
          headers: { authorization: 'Bearer token-for-search' },
        },
      },
    ]);
    expect(search.warnings).toEqual([]);
  });

  it('asks again while a collation is running, until one starts after the request', async () => {
    const search = searchPlugin(409, 409, 200);
    search.refresh();
    await search.done;
    expect(search.requests).toHaveLength(3);
    expect(search.warnings).toEqual([]);
  });

  it('shares one pending trigger among requests made while it waits', async () => {
    const search = searchPlugin(409, 200);
    search.refresh();
    search.refresh();
    search.refresh();
    await search.done;
    expect(search.requests).toHaveLength(2);
  });

  it('logs, never throws, when search refuses', async () => {
    const search = searchPlugin(500);
    expect(() => search.refresh()).not.toThrow();
    await search.done;
    await new Promise(resolve => setTimeout(resolve, 10));
    expect(search.warnings).toEqual([
      expect.stringMatching(
        /^could not ask search to index the catalog now \(.*500.*\); the new entity is findable after the next scheduled collation$/,
      ),
    ]);
  });
});
