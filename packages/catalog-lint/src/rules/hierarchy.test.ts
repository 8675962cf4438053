import { group, lintFixture } from '../__testUtils__/tempCatalog';

describe('group hierarchy rule', () => {
  it('reports a child whose spec.parent names another group', async () => {
    const problems = await lintFixture({
      'groups/engineering.yaml': group('engineering', {
        children: ['identity'],
      }),
      'groups/sales.yaml': group('sales', { children: [] }),
      'groups/identity.yaml': group('identity', { parent: 'sales' }),
    });
    expect(problems.map(p => `${p.file} ${p.field}: ${p.message}`)).toEqual([
      'catalog/groups/engineering.yaml spec.children[0]: group:default/identity does not name group:default/engineering as its spec.parent',
      'catalog/groups/identity.yaml spec.parent: group:default/sales does not list group:default/identity in its spec.children',
    ]);
  });

  it('accepts a parent and children that agree, however the refs are spelled', async () => {
    const problems = await lintFixture({
      'groups/engineering.yaml': group('engineering', {
        children: ['group:default/identity'],
      }),
      'groups/identity.yaml': group('identity', { parent: 'engineering' }),
    });
    expect(problems).toEqual([]);
  });
});
