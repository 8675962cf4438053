import { mockCredentials } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { waitForEntity } from './waitForEntity';

const entity = (kind: string, name: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind,
  metadata: { name, namespace: 'default' },
});

/** A catalog that serves the location's entities one poll at a time, the API first. */
function catalogServingInTurn(...batches: Entity[][]) {
  let polls = 0;
  return {
    polls: () => polls,
    getEntities: async () => ({
      items: batches.slice(0, ++polls).flat(),
    }),
    getEntityByRef: async () => undefined,
  };
}

const wait = (
  catalog: ReturnType<typeof catalogServingInTurn>,
  expectedEntityRef?: string,
) =>
  waitForEntity({
    catalog,
    credentials: mockCredentials.service(),
    originLocation: 'url:http://git/billing-api/catalog-info.yaml',
    locationEntityRef: 'location:default/generated-x',
    expectedEntityRef,
    timeoutMs: 5_000,
    pollIntervalMs: 1,
  });

describe('waitForEntity', () => {
  it('waits for the entity the file declares, not the first one served from it', async () => {
    const catalog = catalogServingInTurn(
      [entity('Location', 'generated-x')],
      [entity('API', 'billing-api')],
      [entity('Component', 'billing-api')],
    );
    expect(await wait(catalog, 'component:default/billing-api')).toBe(
      'component:default/billing-api',
    );
    expect(catalog.polls()).toBe(3);
  });

  it('without an expected entity, takes a Component, else the first one', async () => {
    expect(
      await wait(
        catalogServingInTurn([entity('API', 'a'), entity('Component', 'c')]),
      ),
    ).toBe('component:default/c');
    expect(await wait(catalogServingInTurn([entity('API', 'a')]))).toBe(
      'api:default/a',
    );
  });
});
