import fs from 'node:fs';
import path from 'node:path';
import { ConfigReader } from '@backstage/config';
import type { Entity } from '@backstage/catalog-model';
import { NotFoundError, NotModifiedError } from '@backstage/errors';
import { ScmIntegrations } from '@backstage/integration';
import type { CatalogProcessorResult } from '@backstage/plugin-catalog-node';
import { loadTemplate, renderToMemory } from '@paver/golden-path';
import { TEST_PLATFORM } from '@paver/test-utils';
import { parse as parseYaml } from 'yaml';
import { SloEntityProcessor } from './sloEntityProcessor';

const REPO_ROOT = path.resolve(__dirname, '../../../..');
const LOCATION = {
  type: 'url',
  target: 'https://github.com/acme/billing-api/blob/main/catalog-info.yaml',
};
const SLO_URL = 'https://github.com/acme/billing-api/tree/main/slo.yaml';

/** The billing-service golden path as a new service gets it: its slo.yaml and its Component. */
function billingService() {
  const template = loadTemplate(
    path.join(REPO_ROOT, 'templates/billing-service'),
  );
  const answers = parseYaml(
    fs.readFileSync(path.join(template.dir, 'fixtures/answers.yaml'), 'utf8'),
  );
  const files = renderToMemory(template, answers, { platform: TEST_PLATFORM });
  const component = parseYaml(
    files.get('catalog-info.yaml')!.toString().split('\n---\n')[0],
  ) as Entity;
  return { slo: files.get('slo.yaml')!.toString(), component };
}

/** A UrlReader serving `documents` by URL, with ETags, counting reads. */
function reader(documents: Record<string, string | Error>) {
  const reads: string[] = [];
  return {
    reads,
    readUrl: async (url: string, options?: { etag?: string }) => {
      reads.push(url);
      const doc = documents[url];
      if (doc === undefined) throw new NotFoundError(`${url} not found`);
      if (doc instanceof Error) throw doc;
      const etag = `"${doc.length}"`;
      if (options?.etag === etag) throw new NotModifiedError();
      return { etag, buffer: async () => Buffer.from(doc) };
    },
  };
}

function memoryCache() {
  const values = new Map<string, unknown>();
  return {
    get: async <T>(key: string) => values.get(key) as T | undefined,
    set: async (key: string, value: unknown) => void values.set(key, value),
  };
}

async function process(
  processor: SloEntityProcessor,
  entity: Entity,
  cache = memoryCache(),
) {
  const emitted: CatalogProcessorResult[] = [];
  await processor.postProcessEntity(
    entity,
    LOCATION,
    r => emitted.push(r),
    cache,
  );
  return emitted;
}

const integrations = ScmIntegrations.fromConfig(new ConfigReader({}));
const warnings: string[] = [];
const logger = { warn: (m: string) => void warnings.push(m) };

describe('SloEntityProcessor', () => {
  it("turns the golden path's slo.yaml into SLO entities owned like the Component", async () => {
    const { slo, component } = billingService();
    const processor = new SloEntityProcessor(
      reader({ [SLO_URL]: slo }),
      integrations,
      logger,
    );
    const emitted = await process(processor, component);
    const entities = emitted.flatMap(r =>
      r.type === 'entity' ? [r.entity] : [],
    );
    expect(emitted.filter(r => r.type === 'error')).toEqual([]);
    expect(entities.length).toBeGreaterThan(0);
    expect(entities[0]).toMatchObject({
      apiVersion: 'paver.dev/v1alpha1',
      kind: 'SLO',
      metadata: { name: 'billing-api-availability', namespace: 'default' },
      spec: {
        service: 'component:default/billing-api',
        owner: 'group:default/payments',
        window: { duration: expect.stringMatching(/^\d+d$/) },
        indicator: 'ratioMetric',
        source: SLO_URL,
        rules: 'https://github.com/acme/billing-api/tree/main/slo-rules.yaml',
      },
    });
    for (const entity of entities) {
      expect(await processor.validateEntityKind(entity)).toBe(true);
    }
  });

  it('relates each SLO entity to its Component both ways', async () => {
    const { slo, component } = billingService();
    const processor = new SloEntityProcessor(
      reader({ [SLO_URL]: slo }),
      integrations,
      logger,
    );
    const [first] = (await process(processor, component)).flatMap(r =>
      r.type === 'entity' ? [r.entity] : [],
    );
    const relations = (await process(processor, first)).flatMap(r =>
      r.type === 'relation' ? [r.relation] : [],
    );
    const ref = (kind: string, name: string) => ({
      kind,
      namespace: 'default',
      name,
    });
    expect(relations).toEqual([
      {
        source: ref('slo', 'billing-api-availability'),
        type: 'sloOf',
        target: ref('component', 'billing-api'),
      },
      {
        source: ref('component', 'billing-api'),
        type: 'hasSlo',
        target: ref('slo', 'billing-api-availability'),
      },
    ]);
  });

  it.each([
    [
      'an objective over 100 %',
      (t: string) => t.replace(/target: 0\.\d+/, 'target: 1.5'),
      /objectives\[0\]\.target/,
    ],
    [
      'a window that is not a duration',
      (t: string) => t.replace(/duration: \d+d/, 'duration: monthly'),
      /timeWindow\[0\]\.duration/,
    ],
    [
      'an unknown service',
      (t: string) => t.replace(/service: billing-api\n/, 'service: nobody\n'),
      /spec\.service: nobody is not a known service/,
    ],
  ])(
    'reports %s on the Component, naming the field, and emits no SLO',
    async (_, edit, message) => {
      const { slo, component } = billingService();
      const broken = edit(slo);
      expect(broken).not.toBe(slo);
      const processor = new SloEntityProcessor(
        reader({ [SLO_URL]: broken }),
        integrations,
        logger,
      );
      const emitted = await process(processor, component);
      expect(emitted.filter(r => r.type === 'entity')).toEqual([]);
      const [error] = emitted.flatMap(r =>
        r.type === 'error' ? [r.error.message] : [],
      );
      expect(error).toMatch(
        /^component:default\/billing-api: metadata\.annotations\["paver\.dev\/slo"\]: /,
      );
      expect(error).toMatch(message);
    },
  );

  it('reports a missing slo.yaml on the Component', async () => {
    const { component } = billingService();
    const processor = new SloEntityProcessor(reader({}), integrations, logger);
    const [error] = (await process(processor, component)).flatMap(r =>
      r.type === 'error' ? [r.error.message] : [],
    );
    expect(error).toBe(
      `component:default/billing-api: metadata.annotations["paver.dev/slo"]: ${SLO_URL} does not exist`,
    );
  });

  it('keeps the SLOs it last read through an SCM outage, and asks with the ETag next time', async () => {
    const { slo, component } = billingService();
    const documents: Record<string, string | Error> = { [SLO_URL]: slo };
    const read = reader(documents);
    const processor = new SloEntityProcessor(read, integrations, logger);
    const cache = memoryCache();
    const count = async () =>
      (await process(processor, component, cache)).filter(
        r => r.type === 'entity',
      ).length;
    const first = await count();
    expect(await count()).toBe(first); // not modified: served from the cache
    documents[SLO_URL] = new Error('502 from the git host');
    expect(await count()).toBe(first);
    expect(warnings.at(-1)).toMatch(
      /Could not read the SLO document .*502 from the git host/,
    );
  });

  it('refuses a hand-written SLO entity whose objective is not a ratio', async () => {
    const processor = new SloEntityProcessor(reader({}), integrations, logger);
    await expect(
      processor.validateEntityKind({
        apiVersion: 'paver.dev/v1alpha1',
        kind: 'SLO',
        metadata: { name: 'x' },
        spec: {
          service: 'component:default/x',
          owner: 'group:default/y',
          objectives: [{ target: 99.9 }],
          window: { duration: '30d' },
        },
      }),
    ).rejects.toThrow(
      'slo:default/x: spec.objectives: each target must be a ratio in (0, 1]',
    );
    expect(
      await processor.validateEntityKind({
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Component',
        metadata: { name: 'x' },
      }),
    ).toBe(false);
  });
});
