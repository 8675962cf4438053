import { formatProblem } from './problems';
import {
  component,
  group,
  lintFixture,
  location,
  system,
  user,
} from './__testUtils__/tempCatalog';

// A small valid organisation each case breaks in one place.
const team = {
  'groups/engineering.yaml': group('engineering', {
    type: 'department',
    children: ['group:default/identity'],
  }),
  'groups/identity.yaml': group('identity', {
    parent: 'group:default/engineering',
  }),
  'users/ada.yaml': user('ada', ['group:default/identity']),
};

describe('validateCatalog', () => {
  it('accepts a small valid organisation', async () => {
    expect(
      await lintFixture({
        ...team,
        'systems/login.yaml': system('login', 'group:default/identity'),
      }),
    ).toEqual([]);
  });

  it('reports a bad entity name with the file and metadata.name', async () => {
    const problems = await lintFixture({
      ...team,
      'groups/bad.yaml': group('Bad Name!'),
    });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({
      file: 'catalog/groups/bad.yaml',
      field: 'metadata.name',
    });
    expect(problems[0].message).toContain('found "Bad Name!"');
  });

  it('reports a missing required spec field named by its path', async () => {
    const broken = { ...group('broken'), spec: { children: [] } };
    const problems = await lintFixture({
      ...team,
      'groups/broken.yaml': broken,
    });
    expect(problems).toEqual([
      expect.objectContaining({
        file: 'catalog/groups/broken.yaml',
        entityRef: 'group:default/broken',
        field: 'spec.type',
      }),
    ]);
  });

  it('reports an unknown root field', async () => {
    const problems = await lintFixture({
      ...team,
      'groups/extra.yaml': { ...group('extra'), status: 'x' },
    });
    expect(problems).toEqual([expect.objectContaining({ field: 'status' })]);
  });

  it('reports a kind the catalog does not know', async () => {
    const robot = {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Robot',
      metadata: { name: 'r2' },
      spec: {},
    };
    const problems = await lintFixture({ ...team, 'robots/r2.yaml': robot });
    expect(problems).toEqual([
      expect.objectContaining({ field: 'kind', entityRef: 'robot:default/r2' }),
    ]);
    expect(problems[0].message).toContain('not a kind the catalog knows');
  });

  it('accepts an extra kind when its validator is supplied', async () => {
    const { loadCatalog } = await import('./load');
    const { validateCatalog } = await import('./validate');
    const { writeTempCatalog } = await import('./__testUtils__/tempCatalog');
    const robot = {
      apiVersion: 'paver.dev/v1',
      kind: 'Robot',
      metadata: { name: 'r2' },
      spec: {},
    };
    const catalog = await writeTempCatalog({ 'robots/r2.yaml': robot });
    try {
      const robots = {
        check: async (entity: { kind: string }) => entity.kind === 'Robot',
      };
      expect(
        await validateCatalog(await loadCatalog(catalog.dir), {
          extraKindValidators: [robots],
        }),
      ).toEqual([]);
    } finally {
      await catalog.remove();
    }
  });

  it('reports two files claiming one entity ref, naming both and keeping the first', async () => {
    const copy = group('identity', { parent: 'group:default/engineering' });
    const problems = await lintFixture({
      ...team,
      'teams/identity.yaml': copy,
    });
    expect(problems).toEqual([
      expect.objectContaining({
        file: 'catalog/teams/identity.yaml',
        entityRef: 'group:default/identity',
        field: 'metadata.name',
      }),
    ]);
    expect(problems[0].message).toContain(
      'already defined in catalog/groups/identity.yaml (document 0)',
    );
  });

  it('treats refs differing only in case as the same entity', async () => {
    const problems = await lintFixture({
      ...team,
      'groups/z.yaml': group('Identity', { parent: 'engineering' }),
    });
    expect(problems.map(p => p.file)).toContain('catalog/groups/z.yaml');
    expect(
      problems.find(p => p.file === 'catalog/groups/z.yaml')?.message,
    ).toContain('already defined');
  });

  it('formats a problem as file: ref: field: message', async () => {
    const problems = await lintFixture({
      ...team,
      'systems/x.yaml': system('x', 'group:default/ghosts'),
    });
    expect(problems.map(formatProblem)).toEqual([
      'catalog/systems/x.yaml: system:default/x: spec.owner: group:default/ghosts does not exist in the catalog',
    ]);
  });

  it('returns problems grouped by file in load order', async () => {
    const problems = await lintFixture({
      ...team,
      'b/late.yaml': system('late', 'group:nobody'),
      'a/early.yaml': component('early', 'group:nobody'),
    });
    expect(problems.map(p => p.file)).toEqual([
      'catalog/a/early.yaml',
      'catalog/b/late.yaml',
    ]);
  });

  it('reports documents that could not be loaded among the problems', async () => {
    const problems = await lintFixture({
      ...team,
      'broken.yaml': 'kind: [unclosed',
    });
    expect(problems).toEqual([
      expect.objectContaining({ file: 'catalog/broken.yaml', field: '(file)' }),
    ]);
  });

  it('checks every entity in the folder, including Location files', async () => {
    const problems = await lintFixture({
      ...team,
      'all.yaml': location('org', [
        './groups/engineering.yaml',
        './groups/identity.yaml',
        './users/ada.yaml',
      ]),
    });
    expect(problems).toEqual([]);
  });
});
