import type { Entity } from '@backstage/catalog-model';
import { ConfigReader } from '@backstage/config';
import { ScmIntegrations } from '@backstage/integration';
import type {
  CatalogProcessor,
  CatalogProcessorCache,
  CatalogProcessorResult,
  LocationSpec,
} from '@backstage/plugin-catalog-node';
import { RUNBOOK_ANNOTATION } from '@paver/plugin-paver-common';
import {
  RunbookLinkProcessor,
  parseRunbookTarget,
} from './runbookLinkProcessor';

const SCAFFOLDER_LOCATION: LocationSpec = {
  type: 'url',
  target:
    'http://localhost:7007/api/scaffolder/paver/repos/billing-api/contents/catalog-info.yaml',
};
const GITHUB_LOCATION: LocationSpec = {
  type: 'url',
  target: 'https://github.com/acme/billing-api/blob/main/catalog-info.yaml',
};
const FILE_LOCATION: LocationSpec = {
  type: 'file',
  target: '/srv/catalog/billing-api/catalog-info.yaml',
};

function service(
  runbook: string | undefined,
  links?: Entity['metadata']['links'],
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: 'billing-api',
      annotations:
        runbook === undefined ? {} : { [RUNBOOK_ANNOTATION]: runbook },
      ...(links ? { links } : {}),
    },
    spec: { type: 'service', lifecycle: 'production', owner: 'team-billing' },
  };
}

/** Runs the processor as the catalog does, and returns the entity and what it emitted. */
async function preProcess(entity: Entity, location: LocationSpec) {
  // Typed as the catalog sees it, so the call passes what the catalog passes.
  const processor: Required<Pick<CatalogProcessor, 'preProcessEntity'>> =
    new RunbookLinkProcessor(
      ScmIntegrations.fromConfig(
        new ConfigReader({
          integrations: { github: [{ host: 'github.com' }] },
        }),
      ),
    );
  const emitted: CatalogProcessorResult[] = [];
  const result = await processor.preProcessEntity(
    entity,
    location,
    r => emitted.push(r),
    location,
    {} as CatalogProcessorCache,
  );
  return { result, emitted };
}

describe('RunbookLinkProcessor', () => {
  it('links the runbook beside catalog-info.yaml read through the scaffolder', async () => {
    const { result, emitted } = await preProcess(
      service('docs/runbook.md'),
      SCAFFOLDER_LOCATION,
    );
    expect(result.metadata.links).toEqual([
      {
        url: 'http://localhost:7007/api/scaffolder/paver/repos/billing-api/contents/docs/runbook.md',
        title: 'Runbook',
        icon: 'docs',
      },
    ]);
    expect(emitted).toEqual([]);
  });

  it('links the runbook in a GitHub repository as a file (blob)', async () => {
    const { result } = await preProcess(
      service('./docs/runbook.md', [
        { url: 'https://grafana.example.com/d/x' },
      ]),
      GITHUB_LOCATION,
    );
    expect(result.metadata.links).toEqual([
      { url: 'https://grafana.example.com/d/x' },
      {
        url: 'https://github.com/acme/billing-api/blob/main/docs/runbook.md',
        title: 'Runbook',
        icon: 'docs',
      },
    ]);
  });

  it("keeps the team's own runbook link, and adds no second link to a linked URL", async () => {
    const own = service('docs/runbook.md', [
      { url: 'https://wiki.example.com/billing', title: 'Runbook' },
    ]);
    expect((await preProcess(own, GITHUB_LOCATION)).result).toBe(own);
    const linked = service('docs/runbook.md', [
      { url: 'https://github.com/acme/billing-api/blob/main/docs/runbook.md' },
    ]);
    expect((await preProcess(linked, GITHUB_LOCATION)).result).toBe(linked);
  });

  it('leaves an entity read from a file alone: no browser can open that path', async () => {
    const entity = service('docs/runbook.md');
    const { result, emitted } = await preProcess(entity, FILE_LOCATION);
    expect(result).toBe(entity);
    expect(emitted).toEqual([]);
  });

  it('links an absolute https runbook as it is, from any location', async () => {
    const { result } = await preProcess(
      service('https://runbooks.example.com/billing'),
      FILE_LOCATION,
    );
    expect(result.metadata.links).toEqual([
      {
        url: 'https://runbooks.example.com/billing',
        title: 'Runbook',
        icon: 'docs',
      },
    ]);
  });

  it('rejects a script URL with an error naming the entity and the field, and adds no link', async () => {
    // eslint-disable-next-line no-script-url -- the value under test
    const entity = service('javascript:alert(1)');
    const { result, emitted } = await preProcess(entity, GITHUB_LOCATION);
    expect(result).toBe(entity);
    expect(emitted).toHaveLength(1);
    const [error] = emitted;
    expect(error.type).toBe('error');
    if (error.type !== 'error') throw new Error('unreachable');
    expect(error.location).toEqual(GITHUB_LOCATION);
    expect(error.error.name).toBe('InputError');
    expect(error.error.message).toBe(
      'component:default/billing-api: metadata.annotations["paver.dev/runbook"]: must be an http(s) URL or a path relative to catalog-info.yaml, not a "javascript:" URL',
    );
  });

  it('rejects paths that leave the repository, empty values and other schemes', () => {
    for (const value of [
      '',
      '  ',
      '../../../etc',
      'docs/../../secrets',
      '%2e%2e/%2e%2e/etc',
      '/etc/passwd',
      '//evil.example.com/runbook',
      'docs\\..\\..\\etc',
      'data:text/html,<script>alert(1)</script>',
      'ftp://files.example.com/runbook',
      'docs/100%zz.md',
    ]) {
      expect(parseRunbookTarget(value).kind, JSON.stringify(value)).toBe(
        'invalid',
      );
    }
    expect(parseRunbookTarget('docs/runbook.md#on-call')).toEqual({
      kind: 'path',
      path: 'docs/runbook.md#on-call',
    });
  });

  it('leaves an entity without the annotation alone', async () => {
    const entity = service(undefined, [{ url: 'https://x.example.com' }]);
    const { result, emitted } = await preProcess(entity, GITHUB_LOCATION);
    expect(result).toBe(entity);
    expect(emitted).toEqual([]);
  });

  it('returns a new entity and leaves the one it was given as it was', async () => {
    const entity = service('docs/runbook.md', [
      { url: 'https://grafana.example.com/d/x' },
    ]);
    const before = structuredClone(entity);
    const { result } = await preProcess(entity, SCAFFOLDER_LOCATION);
    expect(result).not.toBe(entity);
    expect(result.metadata.links).toHaveLength(2);
    expect(entity).toEqual(before);
  });
});
