import { mockCredentials } from '@backstage/backend-test-utils';
import { ServiceUnavailableError } from '@backstage/errors';
import { FakeLocationCatalog } from './fakeLocationCatalog';
import {
  reconcile,
  type MarkedRepository,
  type RepositorySource,
} from './reconcile';

const url = (name: string) =>
  `http://localhost:7007/api/scaffolder/paver/repos/${name}/contents/catalog-info.yaml`;
const marked = (name: string, taskId = `task-${name}`): MarkedRepository => ({
  repo: name,
  taskId,
  catalogInfoUrl: url(name),
});

function source(
  repos: MarkedRepository[],
  withoutCatalogInfo: string[] = [],
): RepositorySource & { lookedUp: string[] } {
  const lookedUp: string[] = [];
  return {
    provider: 'local',
    lookedUp,
    list: async () => repos,
    hasCatalogInfo: async r => {
      lookedUp.push(r.repo);
      return !withoutCatalogInfo.includes(r.repo);
    },
  };
}

function logger() {
  const lines: string[] = [];
  return {
    lines,
    info: (m: string) => lines.push(m),
    warn: (m: string) => lines.push(`warn: ${m}`),
  };
}

describe('reconcile', () => {
  const credentials = mockCredentials.service('plugin:scaffolder');

  it('registers a marked repository the catalog does not know, with onConflict refresh, and logs one line for it', async () => {
    const catalog = new FakeLocationCatalog();
    const log = logger();

    const report = await reconcile({
      source: source([marked('billing-api')]),
      catalog,
      credentials,
      logger: log,
    });

    expect(report).toEqual({
      provider: 'local',
      checked: 1,
      alreadyRegistered: 0,
      registered: [
        {
          repo: 'billing-api',
          taskId: 'task-billing-api',
          catalogInfoUrl: url('billing-api'),
        },
      ],
      failed: [],
    });
    expect(catalog.added).toEqual([
      { type: 'url', target: url('billing-api'), onConflict: 'refresh' },
    ]);
    expect(log.lines).toEqual([
      `Reconciler registered billing-api (task task-billing-api) from ${url(
        'billing-api',
      )}`,
    ]);
    // Every catalog call with the module's own credentials, never a user's.
    expect(new Set(catalog.credentialsSeen)).toEqual(new Set([credentials]));
  });

  it('leaves a repository alone when a location with its URL exists', async () => {
    const catalog = new FakeLocationCatalog();
    catalog.locations.add(url('billing-api'));
    const src = source([marked('billing-api')]);

    const report = await reconcile({
      source: src,
      catalog,
      credentials,
      logger: logger(),
    });

    expect(report).toMatchObject({
      checked: 1,
      alreadyRegistered: 1,
      registered: [],
      failed: [],
    });
    expect(catalog.added).toEqual([]);
    expect(src.lookedUp).toEqual([]);
  });

  it('leaves a repository alone when an entity came from its URL through another location', async () => {
    const catalog = new FakeLocationCatalog();
    catalog.entities.push({
      kind: 'Component',
      metadata: {
        name: 'billing-api',
        annotations: {
          'backstage.io/managed-by-location': `url:${url('billing-api')}`,
          'backstage.io/managed-by-origin-location': 'file:/all.yaml',
        },
      },
    });
    catalog.entities.push({
      kind: 'Location',
      metadata: {
        name: 'x',
        annotations: {
          'backstage.io/managed-by-origin-location': `url:${url('auth-api')}`,
        },
      },
    });

    const report = await reconcile({
      source: source([marked('billing-api'), marked('auth-api')]),
      catalog,
      credentials,
      logger: logger(),
    });

    expect(report).toMatchObject({
      checked: 2,
      alreadyRegistered: 2,
      registered: [],
    });
    expect(catalog.added).toEqual([]);
  });

  it('reports a repository without catalog-info.yaml and does not register it', async () => {
    const catalog = new FakeLocationCatalog();
    const log = logger();

    const report = await reconcile({
      source: source(
        [marked('half-made'), marked('billing-api')],
        ['half-made'],
      ),
      catalog,
      credentials,
      logger: log,
    });

    expect(report.failed).toEqual([
      {
        repo: 'half-made',
        catalogInfoUrl: url('half-made'),
        error: expect.stringMatching(/catalog-info.yaml is absent/),
      },
    ]);
    expect(report.registered.map(r => r.repo)).toEqual(['billing-api']);
    expect(catalog.added.map(a => a.target)).toEqual([url('billing-api')]);
    expect(log.lines.filter(l => l.startsWith('warn:'))).toEqual([
      expect.stringContaining('half-made'),
    ]);
  });

  it('reports an addLocation error and still processes the repositories after it', async () => {
    const catalog = new FakeLocationCatalog();
    catalog.failAddLocation.set(
      url('auth-api'),
      new ServiceUnavailableError('catalog database unavailable'),
    );

    const report = await reconcile({
      source: source([
        marked('auth-api'),
        marked('billing-api'),
        marked('notify-api'),
      ]),
      catalog,
      credentials,
      logger: logger(),
    });

    expect(report.checked).toBe(3);
    expect(report.failed).toEqual([
      {
        repo: 'auth-api',
        catalogInfoUrl: url('auth-api'),
        error: 'catalog database unavailable',
      },
    ]);
    expect(report.registered.map(r => r.repo)).toEqual([
      'billing-api',
      'notify-api',
    ]);
  });

  it('registers once: a second run finds the location it made', async () => {
    const catalog = new FakeLocationCatalog();
    const src = source([marked('billing-api')]);
    await reconcile({ source: src, catalog, credentials, logger: logger() });

    const again = await reconcile({
      source: src,
      catalog,
      credentials,
      logger: logger(),
    });

    expect(again).toMatchObject({
      checked: 1,
      alreadyRegistered: 1,
      registered: [],
      failed: [],
    });
    expect(catalog.added).toHaveLength(1);
  });

  it('fails the run, naming the provider, when the repositories cannot be listed', async () => {
    const broken: RepositorySource = {
      provider: 'github',
      list: async () => {
        throw new Error('GitHub answered 500');
      },
      hasCatalogInfo: async () => true,
    };
    await expect(
      reconcile({
        source: broken,
        catalog: new FakeLocationCatalog(),
        credentials,
        logger: logger(),
      }),
    ).rejects.toThrow(
      /Failed to list Paver's repositories \(github\).*GitHub answered 500/,
    );
  });
});
