import { mockServices } from '@backstage/backend-test-utils';
import { createCatalogPrioritizer } from './catalogPrioritizer';

describe('createCatalogPrioritizer', () => {
  it("posts the refs to the catalog's prioritize route with a service token", async () => {
    const fetch = vi.fn(
      async () =>
        new Response(JSON.stringify({ prioritized: ['component:default/a'] }), {
          status: 200,
        }),
    );
    const prioritize = createCatalogPrioritizer({
      discovery: { getBaseUrl: async id => `http://localhost:7007/api/${id}` },
      auth: mockServices.auth(),
      fetch: fetch as never,
    });
    expect(
      await prioritize(['component:default/a', 'component:default/b']),
    ).toEqual(['component:default/a']);
    const [url, init] = fetch.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe('http://localhost:7007/api/catalog/paver/prioritize');
    expect(JSON.parse(init.body as string)).toEqual({
      entityRefs: ['component:default/a', 'component:default/b'],
    });
    expect((init.headers as Record<string, string>).authorization).toMatch(
      /^Bearer .+/,
    );
  });

  it('names the stitching queue, and refuses a route that ignores it', async () => {
    const reply = (body: unknown) =>
      vi.fn(async () => new Response(JSON.stringify(body), { status: 200 }));
    const make = (fetch: unknown) =>
      createCatalogPrioritizer({
        discovery: {
          getBaseUrl: async id => `http://localhost:7007/api/${id}`,
        },
        auth: mockServices.auth(),
        fetch: fetch as never,
      });
    const current = reply({
      queue: 'stitching',
      prioritized: ['component:default/a'],
    });
    expect(await make(current)(['component:default/a'], 'stitching')).toEqual([
      'component:default/a',
    ]);
    const [, init] = current.mock.calls[0] as unknown as [string, RequestInit];
    expect(JSON.parse(init.body as string)).toEqual({
      entityRefs: ['component:default/a'],
      queue: 'stitching',
    });
    // An older route answers without `queue` (it moved the processing row instead).
    await expect(
      make(reply({ prioritized: ['component:default/a'] }))(
        ['component:default/a'],
        'stitching',
      ),
    ).rejects.toThrow(/does not support/);
  });

  it('throws on an error response (the route is not installed)', async () => {
    const prioritize = createCatalogPrioritizer({
      discovery: { getBaseUrl: async id => `http://localhost:7007/api/${id}` },
      auth: mockServices.auth(),
      fetch: (async () => new Response('not found', { status: 404 })) as never,
    });
    await expect(prioritize(['component:default/a'])).rejects.toThrow(/404/);
  });
});
