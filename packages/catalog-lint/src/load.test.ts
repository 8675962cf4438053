import { promises as fs } from 'node:fs';
import path from 'node:path';
import { CatalogFolderError } from './errors';
import { loadCatalog } from './load';
import {
  group,
  user,
  writeTempCatalog,
  type FixtureFiles,
} from './__testUtils__/tempCatalog';
import { MAX_CATALOG_FILE_BYTES } from './yaml';

async function withCatalog<T>(
  files: FixtureFiles,
  run: (dir: string, parent: string) => Promise<T>,
): Promise<T> {
  const catalog = await writeTempCatalog(files);
  try {
    return await run(catalog.dir, catalog.parent);
  } finally {
    await catalog.remove();
  }
}

describe('loadCatalog', () => {
  it('reads .yaml and .yml files in nested folders, sorted by path, and ignores other files', async () => {
    const loaded = await withCatalog(
      {
        'users/b.yml': user('b'),
        'groups/a.yaml': group('a'),
        'README.md': '# not yaml',
        'x.json': '{}',
      },
      dir => loadCatalog(dir),
    );
    expect(loaded.files).toEqual([
      'catalog/groups/a.yaml',
      'catalog/users/b.yml',
    ]);
    expect(loaded.entities.map(e => [e.file, e.entity.metadata.name])).toEqual([
      ['catalog/groups/a.yaml', 'a'],
      ['catalog/users/b.yml', 'b'],
    ]);
    expect(loaded.problems).toEqual([]);
  });

  it('returns each document of a multi-document file with its index', async () => {
    const loaded = await withCatalog(
      { 'org.yaml': [group('a'), group('b')] },
      dir => loadCatalog(dir),
    );
    expect(
      loaded.entities.map(e => [e.entity.metadata.name, e.documentIndex]),
    ).toEqual([
      ['a', 0],
      ['b', 1],
    ]);
  });

  it('reports a YAML alias bomb as a problem of that file and keeps loading the others', async () => {
    const bomb = `a: &a [x,x,x,x,x,x,x,x,x,x]\n${'bcdefghij'
      .split('')
      .map(
        (level, i) =>
          `${level}: &${level} [${Array(10)
            .fill(`*${'abcdefghij'[i]}`)
            .join(',')}]`,
      )
      .join('\n')}\n`;
    const loaded = await withCatalog(
      { 'bomb.yaml': bomb, 'groups/a.yaml': group('a') },
      dir => loadCatalog(dir),
    );
    expect(loaded.entities.map(e => e.file)).toEqual(['catalog/groups/a.yaml']);
    expect(loaded.problems).toEqual([
      expect.objectContaining({ file: 'catalog/bomb.yaml', field: '(file)' }),
    ]);
    expect(loaded.problems[0].message).toMatch(/alias/i);
  });

  it('reports a file over the size cap without reading it', async () => {
    const huge = `a: "${'x'.repeat(MAX_CATALOG_FILE_BYTES)}"\n`;
    const loaded = await withCatalog({ 'huge.yaml': huge }, dir =>
      loadCatalog(dir),
    );
    expect(loaded.problems).toEqual([
      {
        file: 'catalog/huge.yaml',
        field: '(file)',
        message: `file is larger than ${MAX_CATALOG_FILE_BYTES} bytes`,
      },
    ]);
  });

  it('reports documents that are not entities, naming the document', async () => {
    const loaded = await withCatalog(
      { 'odd.yaml': 'kind: Group\n---\n- a list\n' },
      dir => loadCatalog(dir),
    );
    expect(loaded.entities).toEqual([]);
    expect(
      loaded.problems.map(p => [p.field, p.message.split(' is ')[0]]),
    ).toEqual([
      ['(document)', 'document 0'],
      ['(document)', 'document 1'],
    ]);
  });

  it('refuses to read a YAML symlink that leaves the catalog folder', async () => {
    const loaded = await withCatalog({}, async (dir, parent) => {
      await fs.writeFile(
        path.join(parent, 'secret.yaml'),
        'kind: Group\nmetadata: {name: s}\n',
      );
      await fs.symlink(
        path.join(parent, 'secret.yaml'),
        path.join(dir, 'link.yaml'),
      );
      return loadCatalog(dir);
    });
    expect(loaded.entities).toEqual([]);
    expect(loaded.problems).toEqual([
      {
        file: 'catalog/link.yaml',
        field: '(file)',
        message: 'is a symlink that leaves the catalog folder',
      },
    ]);
  });

  it('reads a YAML symlink that stays inside the folder', async () => {
    const loaded = await withCatalog(
      { 'groups/a.yaml': group('a') },
      async dir => {
        await fs.symlink(
          path.join(dir, 'groups', 'a.yaml'),
          path.join(dir, 'alias.yaml'),
        );
        return loadCatalog(dir);
      },
    );
    expect(loaded.files).toEqual([
      'catalog/alias.yaml',
      'catalog/groups/a.yaml',
    ]);
  });

  it('throws CatalogFolderError for a folder that does not exist', async () => {
    await expect(loadCatalog('/nonexistent/catalog')).rejects.toThrow(
      CatalogFolderError,
    );
  });

  it('throws CatalogFolderError when given a file', async () => {
    await withCatalog({ 'a.yaml': group('a') }, async dir => {
      await expect(loadCatalog(path.join(dir, 'a.yaml'))).rejects.toThrow(
        /is not a folder/,
      );
    });
  });
});
