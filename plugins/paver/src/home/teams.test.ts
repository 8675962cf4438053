// @vitest-environment jsdom
// (plugin-catalog-react, where CATALOG_FILTER_EXISTS comes from, loads browser-only components)
import { loadTeams } from './teams';

function group(name: string, displayName?: string) {
  return {
    kind: 'Group',
    metadata: { name, namespace: 'default' },
    spec: { profile: { displayName } },
  };
}

function fakes(ownershipEntityRefs: string[], groups: unknown[]) {
  const asked: { byRefs: unknown[]; filtered: unknown[] } = {
    byRefs: [],
    filtered: [],
  };
  return {
    asked,
    identityApi: {
      getBackstageIdentity: async () => ({
        type: 'user' as const,
        userEntityRef: ownershipEntityRefs[0],
        ownershipEntityRefs,
      }),
    },
    catalogApi: {
      getEntitiesByRefs: async (request: { entityRefs: string[] }) => {
        asked.byRefs.push(request);
        return { items: groups as any[] };
      },
      getEntities: async (request: unknown) => {
        asked.filtered.push(request);
        return { items: groups as any[] };
      },
    },
  };
}

describe('loadTeams', () => {
  it("shows the signed-in user's Groups, by display name", async () => {
    const { identityApi, catalogApi, asked } = fakes(
      [
        'user:default/li.wei',
        'group:default/platform',
        'group:default/payments',
      ],
      [group('platform', 'Platform'), group('payments', 'Payments')],
    );

    expect(await loadTeams(identityApi, catalogApi)).toEqual({
      mine: true,
      teams: [
        { entityRef: 'group:default/payments', name: 'Payments' },
        { entityRef: 'group:default/platform', name: 'Platform' },
      ],
    });
    expect(asked.byRefs).toMatchObject([
      { entityRefs: ['group:default/platform', 'group:default/payments'] },
    ]);
    expect(asked.filtered).toEqual([]);
  });

  it('shows every team with an on-call rotation to someone in no team, like the guest', async () => {
    const { identityApi, catalogApi, asked } = fakes(
      ['user:default/guest'],
      [group('payments', 'Payments'), group('identity')],
    );

    expect(await loadTeams(identityApi, catalogApi)).toEqual({
      mine: false,
      teams: [
        { entityRef: 'group:default/identity', name: 'identity' },
        { entityRef: 'group:default/payments', name: 'Payments' },
      ],
    });
    expect(asked.filtered).toMatchObject([
      {
        filter: {
          kind: 'Group',
          'metadata.annotations.paver.dev/oncall': expect.anything(),
        },
      },
    ]);
  });
});
