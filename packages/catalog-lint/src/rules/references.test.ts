import {
  component,
  group,
  lintFixture,
  system,
  user,
} from '../__testUtils__/tempCatalog';

const org = {
  'groups/identity.yaml': group('identity'),
  'users/ada.yaml': user('ada', ['group:default/identity']),
  'systems/login.yaml': system('login', 'group:default/identity'),
};

describe('owner and reference rule', () => {
  it('accepts a Group owner written short, and a User owner', async () => {
    const files = {
      ...org,
      'components/a.yaml': component('a', 'identity'),
      'components/b.yaml': component('b', 'user:ada'),
    };
    expect(await lintFixture(files)).toEqual([]);
  });

  it.each(['robot:x', 'component:y', 'system:login'])(
    'rejects the owner %s, whose kind is neither Group nor User',
    async owner => {
      const problems = await lintFixture({
        ...org,
        'components/a.yaml': component('a', owner),
      });
      expect(problems).toEqual([
        expect.objectContaining({
          file: 'catalog/components/a.yaml',
          entityRef: 'component:default/a',
          field: 'spec.owner',
        }),
      ]);
      expect(problems[0].message).toMatch(
        /^must refer to a Group or User, not a /,
      );
    },
  );

  it('rejects an owner group that does not exist', async () => {
    const problems = await lintFixture({
      ...org,
      'components/a.yaml': component('a', 'group:default/ghosts'),
    });
    expect(problems).toEqual([
      expect.objectContaining({
        field: 'spec.owner',
        message: 'group:default/ghosts does not exist in the catalog',
      }),
    ]);
  });

  it('resolves refs without a namespace in the entity’s own namespace', async () => {
    const elsewhere = {
      ...component('a', 'identity'),
      metadata: { name: 'a', namespace: 'other' },
    };
    const problems = await lintFixture({
      ...org,
      'components/a.yaml': elsewhere,
    });
    expect(problems).toEqual([
      expect.objectContaining({
        message: 'group:other/identity does not exist in the catalog',
      }),
    ]);
  });

  it('names the list index of a ref that does not resolve', async () => {
    const problems = await lintFixture({
      ...org,
      'users/bob.yaml': user('bob', ['identity', 'group:default/nobody']),
    });
    expect(problems).toEqual([
      expect.objectContaining({
        file: 'catalog/users/bob.yaml',
        field: 'spec.memberOf[1]',
      }),
    ]);
  });

  it.each([
    ['system', 'system:default/missing'],
    ['subcomponentOf', 'component:default/missing'],
    ['providesApis', ['api:default/missing']],
    ['consumesApis', ['api:default/missing']],
    ['dependsOn', ['resource:default/missing']],
  ])('rejects a Component %s that does not resolve', async (field, value) => {
    const problems = await lintFixture({
      ...org,
      'components/a.yaml': component('a', 'identity', { [field]: value }),
    });
    expect(problems.map(p => p.field)).toEqual([
      Array.isArray(value) ? `spec.${field}[0]` : `spec.${field}`,
    ]);
  });

  it('rejects a dependsOn ref that names no kind, as the catalog cannot guess one', async () => {
    const problems = await lintFixture({
      ...org,
      'components/a.yaml': component('a', 'identity', { dependsOn: ['login'] }),
    });
    expect(problems).toEqual([
      expect.objectContaining({ field: 'spec.dependsOn[0]' }),
    ]);
    expect(problems[0].message).toContain('is not a valid entity ref');
  });

  it('rejects a System domain, a Group parent and members that do not resolve', async () => {
    const problems = await lintFixture({
      ...org,
      'systems/pay.yaml': {
        ...system('pay', 'identity'),
        spec: { owner: 'identity', domain: 'payments' },
      },
      'groups/ops.yaml': group('ops', { parent: 'infra', members: ['carol'] }),
    });
    expect(problems.map(p => `${p.file} ${p.field}`)).toEqual([
      'catalog/groups/ops.yaml spec.parent',
      'catalog/groups/ops.yaml spec.members[0]',
      'catalog/systems/pay.yaml spec.domain',
    ]);
  });

  it('rejects a ref to an entity of the wrong kind', async () => {
    const problems = await lintFixture({
      ...org,
      'components/a.yaml': component('a', 'identity', {
        system: 'group:identity',
      }),
    });
    expect(problems).toEqual([
      expect.objectContaining({
        field: 'spec.system',
        message: 'must refer to a System, not a group ("group:identity")',
      }),
    ]);
  });
});
