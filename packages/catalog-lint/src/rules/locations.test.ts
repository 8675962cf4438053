import { promises as fs } from 'node:fs';
import path from 'node:path';
import { loadCatalog } from '../load';
import {
  group,
  lintFixture,
  location,
  writeTempCatalog,
} from '../__testUtils__/tempCatalog';
import { validateCatalog } from '../validate';

const groups = {
  'groups/identity.yaml': group('identity'),
  'groups/payments.yaml': group('payments'),
};
const listsAll = ['./groups/identity.yaml', './groups/payments.yaml'];

describe('Location rule', () => {
  it('accepts targets relative to the Location file, including from a subfolder', async () => {
    const files = {
      ...groups,
      'all.yaml': location('root', ['./groups/locations.yaml']),
      'groups/locations.yaml': location('groups', [
        './identity.yaml',
        '../groups/payments.yaml',
      ]),
    };
    expect(await lintFixture(files)).toEqual([]);
  });

  it('reports a target that does not exist, naming the index', async () => {
    const problems = await lintFixture({
      ...groups,
      'all.yaml': location('root', [...listsAll, './groups/ghosts.yaml']),
    });
    expect(problems).toEqual([
      expect.objectContaining({
        file: 'catalog/all.yaml',
        entityRef: 'location:default/root',
        field: 'spec.targets[2]',
        message:
          '"./groups/ghosts.yaml" does not exist (looked for catalog/groups/ghosts.yaml)',
      }),
    ]);
  });

  it('accepts a missing target when presence is optional', async () => {
    const optional = {
      ...location('root', [...listsAll, './later.yaml']),
      spec: { targets: [...listsAll, './later.yaml'], presence: 'optional' },
    };
    expect(await lintFixture({ ...groups, 'all.yaml': optional })).toEqual([]);
  });

  it.each([
    ['../outside.yaml', 'leaves the catalog folder'],
    ['./groups/../../outside.yaml', 'leaves the catalog folder'],
    ['/etc/passwd', 'not an absolute path'],
    ['https://169.254.169.254/latest/meta-data', 'not a URL'],
    ['./groups/*.yaml', 'is a glob'],
    ['groups/ghosts.yaml', 'must start with ./ or ../'],
  ])('rejects the target %s', async (target, message) => {
    const problems = await lintFixture({
      ...groups,
      'all.yaml': location('root', [...listsAll, target]),
    });
    expect(problems).toEqual([
      expect.objectContaining({
        file: 'catalog/all.yaml',
        field: 'spec.targets[2]',
      }),
    ]);
    expect(problems[0].message).toContain(message);
  });

  it('rejects a target that escapes through a symlink', async () => {
    const catalog = await writeTempCatalog({
      ...groups,
      'all.yaml': location('root', [...listsAll, './linked/outside.yaml']),
    });
    try {
      await fs.mkdir(path.join(catalog.parent, 'elsewhere'));
      await fs.writeFile(
        path.join(catalog.parent, 'elsewhere', 'outside.yaml'),
        '',
      );
      await fs.symlink(
        path.join(catalog.parent, 'elsewhere'),
        path.join(catalog.dir, 'linked'),
      );
      const problems = await validateCatalog(await loadCatalog(catalog.dir));
      expect(problems).toEqual([
        expect.objectContaining({ field: 'spec.targets[2]' }),
      ]);
      expect(problems[0].message).toContain(
        'symlink that leaves the catalog folder',
      );
    } finally {
      await catalog.remove();
    }
  });

  it('rejects a single spec.target that leaves the folder', async () => {
    const single = {
      ...location('root', []),
      spec: { target: '../../etc/hosts' },
    };
    const problems = await lintFixture({ 'all.yaml': single });
    expect(problems).toEqual([
      expect.objectContaining({ field: 'spec.target' }),
    ]);
  });

  it('rejects a target that is not a YAML file in the folder', async () => {
    const problems = await lintFixture({
      ...groups,
      'notes.txt': 'hi',
      'all.yaml': location('root', [...listsAll, './notes.txt']),
    });
    expect(problems).toEqual([
      expect.objectContaining({ field: 'spec.targets[2]' }),
    ]);
    expect(problems[0].message).toContain('is not a .yaml/.yml file');
  });

  it('reports a file that no Location lists', async () => {
    const problems = await lintFixture({
      ...groups,
      'all.yaml': location('root', ['./groups/identity.yaml']),
    });
    expect(problems).toEqual([
      {
        file: 'catalog/groups/payments.yaml',
        field: '(file)',
        message:
          'is not listed by any Location, so the catalog backend never loads it',
      },
    ]);
  });
});
