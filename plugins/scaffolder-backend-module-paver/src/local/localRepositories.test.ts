import fs from 'node:fs/promises';
import path from 'node:path';
import { ConflictError } from '@backstage/errors';
import { tempDir } from '../__testUtils__/mockContext';
import { git } from '../git';
import { LocalRepositories } from './localRepositories';

async function workspaceWith(files: Record<string, string>): Promise<string> {
  const dir = await tempDir('paver-source-');
  for (const [rel, content] of Object.entries(files)) {
    await fs.mkdir(path.dirname(path.join(dir, rel)), { recursive: true });
    await fs.writeFile(path.join(dir, rel), content);
  }
  return dir;
}

describe('LocalRepositories', () => {
  let repos: LocalRepositories;
  beforeEach(async () => {
    repos = new LocalRepositories(await tempDir('paver-data-'));
  });

  it('creates a bare repository marked with the task id', async () => {
    expect(await repos.claim('billing-api', 'task-1')).toEqual({
      created: true,
    });
    expect(
      await git([
        '--git-dir',
        repos.barePath('billing-api'),
        'rev-parse',
        '--is-bare-repository',
      ]),
    ).toBe('true');
    expect(await repos.markerOf('billing-api')).toBe('task-1');
  });

  it('recognises its own repository on a rerun of the same task', async () => {
    await repos.claim('billing-api', 'task-1');
    expect(await repos.claim('billing-api', 'task-1')).toEqual({
      created: false,
    });
  });

  it('refuses a name another task holds, and leaves that repository as it was', async () => {
    await repos.claim('billing-api', 'task-1');
    await expect(repos.claim('billing-api', 'task-2')).rejects.toThrow(
      ConflictError,
    );
    expect(await repos.markerOf('billing-api')).toBe('task-1');
    expect((await fs.readdir(repos.gitRoot)).sort()).toEqual([
      'billing-api.git',
    ]);
  });

  it('refuses a bare repository that carries no marker', async () => {
    await fs.mkdir(repos.gitRoot, { recursive: true });
    await git(['init', '--quiet', '--bare', repos.barePath('handmade')]);
    await expect(repos.claim('handmade', 'task-1')).rejects.toThrow(
      /already exists/,
    );
  });

  it('pushes the workspace as one commit by Paver that a fresh clone contains', async () => {
    const source = await workspaceWith({
      'catalog-info.yaml': 'kind: Component\n',
      'src/main.ts': 'x',
    });
    await repos.claim('billing-api', 'task-1');
    const result = await repos.push(
      'billing-api',
      source,
      'Initial commit from billing-service@1.0.0',
    );
    expect(result.pushed).toBe(true);

    const clone = path.join(await tempDir(), 'clone');
    await git(['clone', '--quiet', repos.barePath('billing-api'), clone]);
    expect(await fs.readFile(path.join(clone, 'src/main.ts'), 'utf8')).toBe(
      'x',
    );
    expect(await git(['-C', clone, 'log', '--format=%an <%ae>|%s'])).toBe(
      'Paver <paver@localhost>|Initial commit from billing-service@1.0.0',
    );
    // The workspace is left without a .git folder of ours.
    await expect(fs.access(path.join(source, '.git'))).rejects.toThrow();
  });

  it('pushes nothing when a rerun has the same content', async () => {
    const source = await workspaceWith({ 'a.txt': 'a' });
    await repos.claim('svc-one', 'task-1');
    const first = await repos.push(
      'svc-one',
      source,
      'Initial commit from t@1.0.0',
    );
    const second = await repos.push(
      'svc-one',
      source,
      'Initial commit from t@1.0.0',
    );
    expect(second).toEqual({ commit: first.commit, pushed: false });
    expect(
      await git([
        '--git-dir',
        repos.barePath('svc-one'),
        'rev-list',
        '--count',
        'main',
      ]),
    ).toBe('1');
  });

  it('refuses to publish an empty workspace', async () => {
    await repos.claim('svc-one', 'task-1');
    await expect(repos.push('svc-one', await tempDir(), 'm')).rejects.toThrow(
      /nothing to publish/,
    );
  });

  it('keeps a checkout that follows main', async () => {
    const source = await workspaceWith({ 'catalog-info.yaml': 'v1' });
    await repos.claim('svc-one', 'task-1');
    await repos.push('svc-one', source, 'm');
    const dir = await repos.checkout('svc-one');
    expect(dir).toBe(path.join(repos.checkoutsRoot, 'svc-one'));
    expect(await fs.readFile(path.join(dir, 'catalog-info.yaml'), 'utf8')).toBe(
      'v1',
    );

    await fs.writeFile(path.join(source, 'catalog-info.yaml'), 'v2');
    await repos.push('svc-one', source, 'm');
    await repos.checkout('svc-one');
    expect(await fs.readFile(path.join(dir, 'catalog-info.yaml'), 'utf8')).toBe(
      'v2',
    );
  });

  it('refuses a name that would leave the data folder', () => {
    expect(() => repos.barePath('../escape')).toThrow(/outside its parent/);
  });
});
