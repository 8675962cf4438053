import fs from 'node:fs';
import path from 'node:path';
import {
  coreServices,
  createBackendPlugin,
  type UrlReaderService,
} from '@backstage/backend-plugin-api';
import {
  TestDatabases,
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { NotFoundError } from '@backstage/errors';
import {
  catalogProcessingExtensionPoint,
  type CatalogProcessor,
} from '@backstage/plugin-catalog-node';
import type { Knex } from 'knex';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { catalogModulePaver } from './module';
import { MAX_PRIORITIZE_REFS } from '@paver/plugin-paver-common';
import { fixedService, makeTemplateRepo, tempDirSync } from '@paver/test-utils';
import { prioritizeEntities, prioritizeStitching } from './prioritizeRows';

// The catalog's own schema, from its own migrations, in a real SQLite database.
const CATALOG_MIGRATIONS = path.resolve(
  require.resolve('@backstage/plugin-catalog-backend'),
  '../../migrations',
);

/**
 * A stand-in for the catalog plugin: the module only needs the plugin id to attach to, and the
 * processing extension point (passed to startTestBackend) to add its processor to.
 */
const catalogPlugin = createBackendPlugin({
  pluginId: 'catalog',
  register({ registerInit }) {
    registerInit({ deps: {}, async init() {} });
  },
});

const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

async function catalogDatabase(): Promise<Knex> {
  const knex = await databases.init('SQLITE_3');
  await knex.migrate.latest({ directory: CATALOG_MIGRATIONS });
  // A backlog: rows overdue since a minute ago, and the new location and component behind them.
  const row = (ref: string, nextUpdateAt: Knex.Raw) => ({
    entity_id: `id-${ref}`,
    entity_ref: ref,
    unprocessed_entity: '{}',
    errors: '',
    next_update_at: nextUpdateAt,
    last_discovery_at: knex.fn.now(),
  });
  await knex('refresh_state').insert([
    ...Array.from({ length: 5 }, (_, i) =>
      row(
        `component:default/fill-${i}`,
        knex.raw(`datetime('now', '-60 seconds')`),
      ),
    ),
    row('location:default/generated-new', knex.fn.now()),
    row('component:default/billing-api', knex.fn.now()),
  ]);
  return knex;
}

/** The rows in the order the processing loop takes them (its own query, DefaultProcessingDatabase). */
async function queue(knex: Knex): Promise<string[]> {
  const rows = await knex('refresh_state')
    .select('entity_ref')
    .where('next_update_at', '<=', knex.fn.now())
    .orderBy('next_update_at', 'asc');
  return rows.map(r => r.entity_ref);
}

describe('POST /api/catalog/paver/prioritize', () => {
  async function start(
    config: { paver?: { templates: { dir: string } } } = {},
  ) {
    const knex = await catalogDatabase();
    const processors: CatalogProcessor[] = [];
    const { server } = await startTestBackend({
      extensionPoints: [
        [
          catalogProcessingExtensionPoint,
          {
            addProcessor: (...added) => {
              processors.push(...added.flat());
            },
          },
        ],
      ],
      features: [
        catalogPlugin,
        catalogModulePaver,
        mockServices.database.factory({ knex }),
        mockServices.rootConfig.factory({ data: config }),
      ],
    });
    const post = (body: unknown, headers: Record<string, string>) =>
      fetch(`http://localhost:${server.port()}/api/catalog/paver/prioritize`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify(body),
      });
    return { knex, post, processors };
  }

  it('adds the runbook link, template currency, on-call rules and SLO entity processors to the catalog', async () => {
    const { processors } = await start();
    expect(processors.map(p => p.getProcessorName())).toEqual([
      'PaverRunbookLinkProcessor',
      'PaverTemplateCurrencyProcessor',
      'PaverOnCallRulesProcessor',
      'PaverSloEntityProcessor',
    ]);
  });

  /** billing-service 1.0.0 and 2.0.0 released; what currency says of a Component made at 1.0.0. */
  async function currencyOfBilling100(
    templates: (templatesDir: string) => Record<string, unknown>,
  ) {
    const templatesDir = makeTemplateRepo('billing-service', [
      { version: '1.0.0', files: { 'template.yaml': 'kind: Template\n' } },
      { version: '2.0.0', files: { 'template.yaml': 'kind: Template\n#2\n' } },
    ]);
    const { processors } = await start({
      paver: { templates: templates(templatesDir) },
    } as never);
    const currency = processors.find(
      p => p.getProcessorName() === 'PaverTemplateCurrencyProcessor',
    )!;
    const entity: Entity = {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: {
        name: 'billing-api',
        annotations: { 'paver.dev/template': 'billing-service@1.0.0' },
      },
    };
    const location = {
      type: 'url',
      target: 'http://127.0.0.1:9/catalog-info.yaml',
    };
    const processed = await currency.preProcessEntity!(
      entity,
      location,
      () => {},
      location,
      { get: async () => undefined, set: async () => {} },
    );
    return processed.metadata.annotations;
  }

  it('reads template currency from the releases of the repository holding paver.templates.dir', async () => {
    expect(await currencyOfBilling100(dir => ({ dir }))).toMatchObject({
      'paver.dev/template-latest': '2.0.0',
      'paver.dev/template-behind': '1',
    });
  });

  it('reads them from a mirror of paver.templates.releases.repository when the templates have no git history', async () => {
    const image = path.join(tempDirSync('paver-image-'), 'templates');
    expect(
      await currencyOfBilling100(dir => {
        // The image's copy of the templates: files only, as a Docker build copies them.
        fs.cpSync(dir, image, { recursive: true });
        return { dir: image, releases: { repository: path.dirname(dir) } };
      }),
    ).toMatchObject({
      'paver.dev/template-latest': '2.0.0',
      'paver.dev/template-behind': '1',
    });
    expect(
      fs.existsSync(
        path.join(image, '../.paver-data/template-releases/catalog.git/HEAD'),
      ),
    ).toBe(true);
  });

  it('moves the named rows ahead of the backlog, ignoring unknown refs', async () => {
    const { knex, post } = await start();
    expect((await queue(knex)).slice(-2)).toEqual([
      'location:default/generated-new',
      'component:default/billing-api',
    ]);

    const response = await post(
      {
        entityRefs: [
          'location:default/generated-new',
          'component:default/nope',
          'Component:default/Billing-API',
        ],
      },
      { authorization: mockCredentials.service.header() },
    );
    expect(response.status).toBe(200);
    expect(
      ((await response.json()) as { prioritized: string[] }).prioritized.sort(),
    ).toEqual([
      'component:default/billing-api',
      'location:default/generated-new',
    ]);
    const order = await queue(knex);
    expect(order.slice(0, 2).sort()).toEqual([
      'component:default/billing-api',
      'location:default/generated-new',
    ]);
    expect(order).toHaveLength(7);
    // Nothing else moved.
    const fill = await knex('refresh_state')
      .where('entity_ref', 'like', 'component:default/fill-%')
      .select('next_update_at');
    expect(new Set(fill.map(r => String(r.next_update_at))).size).toBe(1);
  });

  it('moves a processed entity to the front of the stitching queue, and only that', async () => {
    const { knex, post } = await start();
    await knex('refresh_state')
      .where('entity_ref', 'component:default/billing-api')
      .update({ processed_entity: '{}' });
    const stitchRow = (ref: string, at: Knex.Raw) => ({
      entity_ref: ref,
      stitch_ticket: `t-${ref}`,
      next_stitch_at: at,
    });
    await knex('stitch_queue').insert([
      ...Array.from({ length: 5 }, (_, i) =>
        stitchRow(
          `component:default/fill-${i}`,
          knex.raw(`datetime('now', '-60 seconds')`),
        ),
      ),
      stitchRow('component:default/billing-api', knex.fn.now()),
      // Not processed yet: stitching it would write nothing.
      stitchRow('location:default/generated-new', knex.fn.now()),
    ]);
    const stitchOrder = async () =>
      (
        await knex('stitch_queue')
          .select('entity_ref')
          .where('next_stitch_at', '<=', knex.fn.now())
          .orderBy('next_stitch_at', 'asc')
      ).map(r => r.entity_ref);
    const response = await post(
      {
        entityRefs: [
          'component:default/billing-api',
          'location:default/generated-new',
        ],
        queue: 'stitching',
      },
      { authorization: mockCredentials.service.header() },
    );
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      queue: 'stitching',
      prioritized: ['component:default/billing-api'],
    });
    expect((await stitchOrder())[0]).toBe('component:default/billing-api');
    // The processing queue is untouched by a stitching request.
    expect((await queue(knex)).slice(-2)).toEqual([
      'location:default/generated-new',
      'component:default/billing-api',
    ]);
    // A row the stitcher has claimed (next_stitch_at in the future) is left alone.
    await knex('stitch_queue')
      .where('entity_ref', 'component:default/billing-api')
      .update({ next_stitch_at: knex.raw(`datetime('now', '+60 seconds')`) });
    expect(
      await prioritizeStitching(knex, ['component:default/billing-api']),
    ).toEqual([]);
    expect(
      (
        await post(
          { entityRefs: ['component:default/x'], queue: 'everything' },
          { authorization: mockCredentials.service.header() },
        )
      ).status,
    ).toBe(400);
  });

  it('refuses users and unauthenticated callers, and changes nothing', async () => {
    const { knex, post } = await start();
    const before = await knex('refresh_state')
      .select('entity_ref', 'next_update_at')
      .orderBy('entity_ref');
    const body = { entityRefs: ['component:default/billing-api'] };
    expect(
      (await post(body, { authorization: mockCredentials.user.header() }))
        .status,
    ).toBe(403);
    expect([401, 403]).toContain((await post(body, {})).status);
    expect(
      await knex('refresh_state')
        .select('entity_ref', 'next_update_at')
        .orderBy('entity_ref'),
    ).toEqual(before);
  });

  it('rejects a malformed or unbounded request', async () => {
    const { post } = await start();
    const service = { authorization: mockCredentials.service.header() };
    expect(
      (await post({ entityRefs: 'component:default/x' }, service)).status,
    ).toBe(400);
    expect((await post({ entityRefs: ['not a ref:'] }, service)).status).toBe(
      400,
    );
    const many = Array.from(
      { length: MAX_PRIORITIZE_REFS + 1 },
      (_, i) => `component:default/c${i}`,
    );
    expect((await post({ entityRefs: many }, service)).status).toBe(400);
  });

  it('treats a ref shaped like SQL as data (parameterized)', async () => {
    const knex = await catalogDatabase();
    expect(
      await prioritizeEntities(knex, ["component:default/x' OR '1'='1"]),
    ).toEqual([]);
    expect(await knex('refresh_state').count({ n: '*' })).toEqual([{ n: 7 }]);
    expect(
      (await queue(knex))
        .slice(0, 5)
        .every(r => r.startsWith('component:default/fill-')),
    ).toBe(true);
  });
});

describe('the runbook link and the on-call rules, in the real catalog', () => {
  const base =
    'http://localhost:7007/api/scaffolder/paver/repos/billing-api/contents/';
  const target = `${base}catalog-info.yaml`;
  // billing-api keeps the on-call rules (its owner Group, resolved through the catalog API, has a
  // rotation; its runbook is in the repository); ledger's owner is a person.
  const catalogInfo = `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: billing-api
  annotations:
    paver.dev/runbook: docs/runbook.md
spec:
  type: service
  lifecycle: production
  owner: team-billing
---
apiVersion: backstage.io/v1alpha1
kind: Group
metadata:
  name: team-billing
  annotations:
    paver.dev/oncall: billing-primary
spec:
  type: team
  children: []
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: ledger
  annotations:
    paver.dev/runbook: docs/runbook.md
    paver.dev/oncall: ledger-primary
spec:
  type: service
  lifecycle: production
  owner: user:ada
`;
  const documents: Record<string, string> = {
    [target]: catalogInfo,
    [`${base}docs/runbook.md`]: '# Runbook',
  };
  // The catalog reads a url location with search(); the on-call rules read the runbook with readUrl().
  const urlReader: UrlReaderService = {
    readUrl: async url => {
      if (!(url in documents)) throw new NotFoundError(`${url} not found`);
      return { buffer: async () => Buffer.from(documents[url]) };
    },
    readTree: async () => {
      throw new Error('the catalog reads locations with search()');
    },
    search: async url => ({
      etag: 'v1',
      files: [
        {
          url: String(url),
          content: async () => Buffer.from(catalogInfo),
        },
      ],
    }),
  };

  it('links the runbook beside catalog-info.yaml, serves what keeps the rules and holds back what does not', async () => {
    const knex = await databases.init('SQLITE_3');
    const { server } = await startTestBackend({
      features: [
        import('@backstage/plugin-catalog-backend'),
        catalogModulePaver,
        mockServices.database.factory({ knex }),
        mockServices.rootConfig.factory({
          data: {
            catalog: {
              locations: [{ type: 'url', target }],
              rules: [{ allow: ['Component', 'Group'] }],
              // The Group may be processed after the Component that names it; retry soon.
              processingInterval: { seconds: 1 },
            },
          },
        }),
        fixedService(coreServices.urlReader, urlReader),
      ],
    });
    const entity = await eventually(async () => {
      const response = await fetch(
        `http://localhost:${server.port()}/api/catalog/entities/by-name/component/default/billing-api`,
        { headers: { authorization: mockCredentials.service.header() } },
      );
      return response.ok ? ((await response.json()) as Entity) : undefined;
    });
    expect(entity.metadata.links).toEqual([
      {
        url: `${base}docs/runbook.md`,
        title: 'Runbook',
        icon: 'docs',
      },
    ]);
    const errors = await eventually(async () => {
      const row = await knex('refresh_state')
        .where('entity_ref', 'component:default/ledger')
        .first();
      return row?.errors && row.errors !== '[]'
        ? String(row.errors)
        : undefined;
    });
    expect(errors).toContain(
      'component:default/ledger: spec.owner: must refer to a Group, not a user (\\"user:ada\\")',
    );
    const ledger = await fetch(
      `http://localhost:${server.port()}/api/catalog/entities/by-name/component/default/ledger`,
      { headers: { authorization: mockCredentials.service.header() } },
    );
    expect(ledger.status).toBe(404);
  });
});

/** The first defined answer of `attempt`, tried every 100 ms for up to 10 s (the catalog processes in the background). */
async function eventually<T>(
  attempt: () => Promise<T | undefined>,
): Promise<T> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const value = await attempt();
    if (value !== undefined) {
      return value;
    }
    if (Date.now() > deadline) {
      throw new Error('gave up waiting after 10 s');
    }
    await new Promise(resolve => setTimeout(resolve, 100));
  }
}

describe('GET /api/catalog/paver/oncall', () => {
  const entities: Entity[] = [
    {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: {
        name: 'billing',
        annotations: { 'paver.dev/oncall': 'billing-oncall' },
      },
      spec: { type: 'service', lifecycle: 'production', owner: 'payments' },
    },
    {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Resource',
      metadata: { name: 'billing-oncall' },
      spec: {
        type: 'on-call-schedule',
        owner: 'group:default/payments',
        schedule: {
          timeZone: 'UTC',
          rotation: 'P1D',
          handoff: '2026-03-09T09:00',
          members: ['user:default/li.wei', 'user:default/sofia.rossi'],
          overrides: [],
          escalation: [{ afterMinutes: 0, targets: [{ type: 'on-call' }] }],
        },
      },
    },
  ];

  async function start() {
    const { server } = await startTestBackend({
      extensionPoints: [
        [catalogProcessingExtensionPoint, { addProcessor: () => {} }],
      ],
      features: [
        catalogPlugin,
        catalogModulePaver,
        catalogServiceMock.factory({ entities }),
        mockServices.database.factory({ knex: await catalogDatabase() }),
      ],
    });
    return (
      query: string,
      headers: Record<string, string> = {
        authorization: mockCredentials.user.header(),
      },
    ) =>
      fetch(
        `http://localhost:${server.port()}/api/catalog/paver/oncall${query}`,
        { headers },
      );
  }

  it('answers who is on call for an entity at the instant asked', async () => {
    const get = await start();
    // Day 2 of a daily rotation handed off at 09:00 UTC: the second member.
    const response = await get(
      '?entity=component:default/billing&at=2026-03-10T12:00:00Z',
    );
    expect(response.status).toBe(200);
    const report = await response.json();
    expect(report.schedule).toEqual({
      name: 'billing-oncall',
      definedOn: 'component:default/billing',
      source: 'catalog',
      timeZone: 'UTC',
    });
    expect(report.now).toEqual({
      person: { name: 'sofia.rossi' },
      from: '2026-03-10T09:00:00.000Z',
      until: '2026-03-11T09:00:00.000Z',
    });
  });

  it.each([
    [
      '',
      400,
      'entity: give the entity ref, e.g. ?entity=component:default/billing',
    ],
    [
      '?entity=component:default/billing&at=tomorrow',
      400,
      'at: "tomorrow" is not an ISO-8601 instant with an offset',
    ],
    [
      '?entity=component:default/nope',
      404,
      'no entity component:default/nope in the catalog',
    ],
  ])(
    'answers %s with %i naming what is wrong',
    async (query, status, message) => {
      const get = await start();
      const response = await get(query);
      expect(response.status).toBe(status);
      expect((await response.json()).error.message).toBe(message);
    },
  );

  it('refuses a request without credentials', async () => {
    const get = await start();
    const anonymous = { authorization: mockCredentials.none.header() };
    expect(
      (await get('?entity=component:default/billing', anonymous)).status,
    ).toBe(401);
  });
});
