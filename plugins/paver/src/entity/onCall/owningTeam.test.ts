import { loadOwningTeam, type CatalogEntityLike } from './owningTeam';

const SERVICE: CatalogEntityLike = {
  kind: 'Component',
  metadata: { name: 'billing-api' },
  spec: { owner: 'payments' },
  relations: [{ type: 'ownedBy', targetRef: 'group:default/payments' }],
};

const PAYMENTS: CatalogEntityLike = {
  kind: 'Group',
  metadata: { name: 'payments', namespace: 'default', title: 'Payments team' },
  spec: { profile: { displayName: 'Payments' } },
};

function user(name: string, displayName?: string, email?: string) {
  return {
    kind: 'User',
    metadata: { name, namespace: 'default' },
    spec: { profile: { displayName, email } },
  };
}

function catalogWith(entities: CatalogEntityLike[], users: unknown[]) {
  const asked: unknown[] = [];
  return {
    asked,
    catalogApi: {
      getEntityByRef: async (ref: unknown) =>
        entities.find(
          e => `${e.kind.toLowerCase()}:default/${e.metadata.name}` === ref,
        ) as any,
      getEntities: async (request: unknown) => {
        asked.push(request);
        return { items: users as any[] };
      },
    },
  };
}

describe('loadOwningTeam', () => {
  it('names the owner Group and lists the Users that are members of it, by name', async () => {
    const { catalogApi, asked } = catalogWith(
      [PAYMENTS],
      [
        user('sofia.rossi', 'Sofia Rossi'),
        user('li.wei', 'Li Wei', 'li.wei@example.com'),
        user('mateo.garcia'),
      ],
    );

    expect(await loadOwningTeam(catalogApi, SERVICE)).toEqual({
      entityRef: 'group:default/payments',
      name: 'Payments',
      members: [
        {
          entityRef: 'user:default/li.wei',
          name: 'Li Wei',
          email: 'li.wei@example.com',
        },
        { entityRef: 'user:default/mateo.garcia', name: 'mateo.garcia' },
        { entityRef: 'user:default/sofia.rossi', name: 'Sofia Rossi' },
      ],
    });
    expect(asked).toMatchObject([
      {
        filter: {
          kind: 'User',
          'relations.memberOf': 'group:default/payments',
        },
      },
    ]);
  });

  it('still names an owner the catalog does not have, and has no team without an owner', async () => {
    const { catalogApi, asked } = catalogWith([], []);

    expect(await loadOwningTeam(catalogApi, SERVICE)).toEqual({
      entityRef: 'group:default/payments',
      name: 'payments',
      members: [],
    });
    expect(asked).toEqual([]);
    expect(
      await loadOwningTeam(catalogApi, { ...SERVICE, relations: [] }),
    ).toBeUndefined();
  });
});
