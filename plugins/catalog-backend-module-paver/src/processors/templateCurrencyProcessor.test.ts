import type { Entity } from '@backstage/catalog-model';
import { TemplateCurrencyProcessor } from './templateCurrencyProcessor';

const component = (template?: string, kind = 'Component'): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind,
  metadata: {
    name: 'billing-api',
    annotations: template ? { 'paver.dev/template': template } : {},
  },
  spec: {
    type: 'service',
    owner: 'group:default/payments',
    lifecycle: 'production',
  },
});

function releases(versions: Record<string, string[]>) {
  const calls: string[] = [];
  return {
    calls,
    source: {
      versions: async (name: string) => {
        calls.push(name);
        if (!versions[name]) throw new Error(`not a git repository`);
        return versions[name];
      },
    },
  };
}

describe('TemplateCurrencyProcessor', () => {
  it('annotates a Component with the latest release and how many releases it is behind', async () => {
    const { source } = releases({
      'billing-service': ['1.0.0', '1.1.0', '2.0.0'],
    });
    const processor = new TemplateCurrencyProcessor(source);
    const entity = await processor.preProcessEntity(
      component('billing-service@1.0.0'),
    );
    expect(entity.metadata.annotations).toEqual({
      'paver.dev/template': 'billing-service@1.0.0',
      'paver.dev/template-latest': '2.0.0',
      'paver.dev/template-behind': '2',
    });
    const current = await processor.preProcessEntity(
      component('billing-service@2.0.0'),
    );
    expect(current.metadata.annotations?.['paver.dev/template-behind']).toBe(
      '0',
    );
  });

  it('leaves alone what it cannot place: other kinds, no annotation, an unreleased version, unreadable releases', async () => {
    const { source } = releases({ 'billing-service': ['1.0.0'] });
    const processor = new TemplateCurrencyProcessor(source);
    for (const entity of [
      component('billing-service@1.0.0', 'API'),
      component(),
      component('billing-service@3.0.0-dev'),
      component('auth-service@1.0.0'),
      component('not a ref'),
    ]) {
      expect(await processor.preProcessEntity(entity)).toEqual(entity);
    }
  });

  it('asks for a template’s releases once per cache window', async () => {
    let now = 0;
    const { source, calls } = releases({ 'billing-service': ['1.0.0'] });
    const processor = new TemplateCurrencyProcessor(source, {
      cacheMs: 1000,
      now: () => now,
    });
    await processor.preProcessEntity(component('billing-service@1.0.0'));
    await processor.preProcessEntity(component('billing-service@1.0.0'));
    now = 1500;
    await processor.preProcessEntity(component('billing-service@1.0.0'));
    expect(calls).toEqual(['billing-service', 'billing-service']);
  });
});
