import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { readCatalogApi } from './catalog-api';
import { synthPlatform } from './synth-platform';

type Entity = {
  kind: string;
  metadata: { name: string; namespace: string };
  spec?: Record<string, unknown>;
};

const entity = (
  kind: string,
  name: string,
  spec?: Record<string, unknown>,
): Entity => ({
  kind,
  metadata: { name, namespace: 'default' },
  ...(spec && { spec }),
});

/**
 * A stand-in for Backstage's `/api/catalog/entities/by-query`, speaking its wire shape
 * (`{ items, totalItems, pageInfo: { nextCursor } }`), paging by `limit`, counting requests.
 */
async function fakeCatalog(
  entities: Entity[],
  options: { status?: number; loopCursor?: boolean } = {},
) {
  const requests: IncomingMessage[] = [];
  const server: Server = createServer((req, res) => {
    requests.push(req);
    const url = new URL(req.url!, 'http://x');
    if (url.pathname !== '/api/catalog/entities/by-query') {
      res.writeHead(404).end();
      return;
    }
    if (options.status) {
      res.writeHead(options.status).end('{}');
      return;
    }
    const cursor = url.searchParams.get('cursor');
    const state = cursor
      ? JSON.parse(Buffer.from(cursor, 'base64url').toString())
      : {
          kind: url.searchParams.get('filter')!.replace('kind=', ''),
          offset: 0,
          limit: Number(url.searchParams.get('limit')),
        };
    const matching = entities.filter(e => e.kind.toLowerCase() === state.kind);
    const items = matching.slice(state.offset, state.offset + state.limit);
    const next = options.loopCursor
      ? state
      : { ...state, offset: state.offset + state.limit };
    const nextCursor =
      next.offset < matching.length
        ? Buffer.from(JSON.stringify(next)).toString('base64url')
        : undefined;
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        items,
        totalItems: matching.length,
        pageInfo: nextCursor ? { nextCursor } : {},
      }),
    );
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    requests,
    close: () => new Promise(resolve => server.close(resolve)),
  };
}

const organisation = [
  entity('Group', 'payments'),
  entity('Group', 'identity'),
  ...['invoices', 'plans', 'usage', 'webhooks', 'ledger'].map(n =>
    entity('Component', n, { owner: 'group:default/payments' }),
  ),
  entity('Component', 'accounts', { owner: 'identity' }),
];

describe('readCatalogApi', () => {
  it('follows cursors until the last page and sends the bearer token', async () => {
    const catalog = await fakeCatalog(organisation);
    try {
      const entities = await readCatalogApi({
        baseUrl: catalog.url,
        token: 'test-token',
        pageSize: 2,
      });
      expect(
        entities
          .filter(e => e.kind === 'Component')
          .map(e => e.metadata.name)
          .sort(),
      ).toEqual([
        'accounts',
        'invoices',
        'ledger',
        'plans',
        'usage',
        'webhooks',
      ]);
      expect(entities.filter(e => e.kind === 'Group')).toHaveLength(2);
      // 6 components at 2 per page, 2 groups in 1 page.
      expect(catalog.requests).toHaveLength(4);
      expect(
        catalog.requests.every(
          r => r.headers.authorization === 'Bearer test-token',
        ),
      ).toBe(true);
      expect(catalog.requests[0].url).toContain('filter=kind%3Dcomponent');
    } finally {
      await catalog.close();
    }
  });

  it('fails with the status, and without the token, when the catalog refuses', async () => {
    const catalog = await fakeCatalog(organisation, { status: 401 });
    try {
      const error = await readCatalogApi({
        baseUrl: catalog.url,
        token: 'secret-token-1',
      }).catch(e => e);
      expect(error.message).toMatch(
        /catalog API http:\/\/127\.0\.0\.1:\d+\/api\/catalog\/entities\/by-query answered 401/,
      );
      expect(error.message).not.toContain('secret-token-1');
    } finally {
      await catalog.close();
    }
  });

  it('stops a catalog that repeats a cursor', async () => {
    const catalog = await fakeCatalog(organisation, { loopCursor: true });
    try {
      await expect(
        readCatalogApi({ baseUrl: catalog.url, pageSize: 2 }),
      ).rejects.toThrow(/repeated a cursor for kind=component/);
    } finally {
      await catalog.close();
    }
  });

  it('refuses a catalog URL that is not http or https', async () => {
    await expect(
      readCatalogApi({ baseUrl: 'file:///etc/passwd' }),
    ).rejects.toThrow(/must be http or https/);
  });
});

describe('synthPlatform from the catalog API', () => {
  it('synthesizes one stack per Component the API returns', async () => {
    const catalog = await fakeCatalog(organisation);
    const outdir = await mkdtemp(path.join(tmpdir(), 'paver-platform-'));
    try {
      const result = await synthPlatform({ catalogUrl: catalog.url, outdir });
      expect(result.stacks).toHaveLength(7);
      expect((await readdir(path.join(outdir, 'stacks'))).sort()).toEqual(
        [...result.stacks].sort(),
      );
    } finally {
      await catalog.close();
      await rm(outdir, { recursive: true, force: true });
    }
  });
});
