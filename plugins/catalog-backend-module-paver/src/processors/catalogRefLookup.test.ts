import { mockCredentials } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { CatalogRefLookup } from './catalogRefLookup';

const GROUP: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name: 'payments', namespace: 'default' },
  spec: { type: 'team', children: [] },
};

/** A lookup over a catalog holding `held`, counting each request and the refs it asked for. */
function setup(held: Record<string, Entity> = {}) {
  const requests: string[][] = [];
  // Not 0: lru-cache reads a start time of 0 as "no expiry".
  const START = Date.parse('2026-12-02T03:00:00Z');
  const clock = { now: START };
  const lookup = new CatalogRefLookup({
    now: () => clock.now,
    ttlMs: 60_000,
    auth: { getOwnServiceCredentials: async () => mockCredentials.service() },
    catalog: {
      getEntitiesByRefs: async ({ entityRefs }) => {
        requests.push(entityRefs);
        return { items: entityRefs.map(ref => held[ref]) };
      },
    },
  });
  return { lookup, requests, clock, held, START };
}

describe('CatalogRefLookup', () => {
  it('asks for every unknown ref in one request, each once', async () => {
    const { lookup, requests } = setup({ 'group:default/payments': GROUP });
    const found = await lookup.lookUp([
      'group:default/payments',
      'user:default/ada',
      'group:default/payments',
    ]);
    expect([...found]).toEqual([
      ['group:default/payments', GROUP],
      ['user:default/ada', undefined],
    ]);
    expect(requests).toEqual([['group:default/payments', 'user:default/ada']]);
  });

  it('answers a ref found within the last minute without asking the catalog', async () => {
    const { lookup, requests, clock, START } = setup({
      'group:default/payments': GROUP,
    });
    await lookup.lookUp(['group:default/payments']);
    clock.now = START + 59_000;
    expect(
      (await lookup.lookUp(['group:default/payments'])).get(
        'group:default/payments',
      ),
    ).toBe(GROUP);
    expect(requests).toHaveLength(1);
  });

  it('asks again once the minute is over, so a deleted owner is noticed', async () => {
    const { lookup, requests, clock, held, START } = setup({
      'group:default/payments': GROUP,
    });
    await lookup.lookUp(['group:default/payments']);
    delete held['group:default/payments'];
    clock.now = START + 60_001;
    expect(
      (await lookup.lookUp(['group:default/payments'])).get(
        'group:default/payments',
      ),
    ).toBeUndefined();
    expect(requests).toHaveLength(2);
  });

  it('asks for a missing ref every time, so an owner that arrives counts at once', async () => {
    const { lookup, requests, held } = setup();
    expect(
      (await lookup.lookUp(['group:default/payments'])).get(
        'group:default/payments',
      ),
    ).toBeUndefined();
    held['group:default/payments'] = GROUP;
    expect(
      (await lookup.lookUp(['group:default/payments'])).get(
        'group:default/payments',
      ),
    ).toBe(GROUP);
    expect(requests).toHaveLength(2);
  });

  it('asks nothing for no refs', async () => {
    const { lookup, requests } = setup();
    expect((await lookup.lookUp([])).size).toBe(0);
    expect(requests).toEqual([]);
  });
});
