import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConflictError, InputError } from '@backstage/errors';
import { git } from '../../git';
import { LocalRepositories } from '../../local/localRepositories';
import {
  mockContext,
  outputsOf,
  tempDir,
} from '../../__testUtils__/mockContext';
import type { GithubPublishProvider } from './github';
import { createPublishAction } from './publish';

const BASE = 'http://localhost:7007/api/scaffolder';
const input = {
  name: 'billing-api',
  owner: 'group:default/payments',
  description: 'Bills customers',
};

async function renderedWorkspace(): Promise<string> {
  const dir = await tempDir('paver-workspace-');
  await fs.mkdir(path.join(dir, '.paver'));
  await fs.writeFile(
    path.join(dir, '.paver/answers.yaml'),
    'template: billing-service\nversion: 1.0.0\nanswers: {}\n',
  );
  await fs.writeFile(path.join(dir, 'catalog-info.yaml'), 'kind: Component\n');
  return dir;
}

describe('paver:repo:publish', () => {
  let repos: LocalRepositories;
  let action: ReturnType<typeof createPublishAction>;
  beforeEach(async () => {
    repos = new LocalRepositories(await tempDir('paver-data-'));
    action = createPublishAction({
      defaultProvider: 'local',
      local: { repos, scaffolderBaseUrl: async () => BASE },
    });
  });

  async function cloneOf(remoteUrl: string): Promise<string> {
    const dir = path.join(await tempDir('paver-clone-'), 'clone');
    await git(['clone', '--quiet', fileURLToPath(remoteUrl), dir]);
    return dir;
  }

  it('publishes the workspace to a real bare repository that a fresh clone contains', async () => {
    const ctx = await mockContext(input, {
      workspacePath: await renderedWorkspace(),
    });
    await action.handler(ctx);

    const outputs = outputsOf(ctx);
    expect(outputs).toEqual({
      remoteUrl: `file://${repos.barePath('billing-api')}`,
      repoContentsUrl: `${BASE}/paver/repos/billing-api/contents/`,
      catalogInfoUrl: `${BASE}/paver/repos/billing-api/contents/catalog-info.yaml`,
    });
    const clone = await cloneOf(String(outputs.remoteUrl));
    expect((await fs.readdir(clone)).sort()).toEqual([
      '.git',
      '.paver',
      'catalog-info.yaml',
    ]);
    expect(await git(['-C', clone, 'log', '--format=%an <%ae>|%s'])).toBe(
      'Paver <paver@localhost>|Initial commit from billing-service@1.0.0',
    );
    expect(
      await fs.readFile(
        path.join(repos.barePath('billing-api'), 'description'),
        'utf8',
      ),
    ).toBe('Bills customers\n');
  });

  it('keeps a checkout the catalog reads catalog-info.yaml from', async () => {
    await action.handler(
      await mockContext(input, { workspacePath: await renderedWorkspace() }),
    );
    expect(
      await fs.readFile(
        path.join(repos.checkoutPath('billing-api'), 'catalog-info.yaml'),
        'utf8',
      ),
    ).toBe('kind: Component\n');
  });

  it('is idempotent when the same task runs again', async () => {
    const workspacePath = await renderedWorkspace();
    await action.handler(
      await mockContext(input, { workspacePath, taskId: 'task-7' }),
    );
    const again = await mockContext(input, { workspacePath, taskId: 'task-7' });
    await action.handler(again);
    expect(outputsOf(again).remoteUrl).toBe(
      `file://${repos.barePath('billing-api')}`,
    );
    expect(await fs.readdir(repos.gitRoot)).toEqual(['billing-api.git']);
    expect(
      await git([
        '--git-dir',
        repos.barePath('billing-api'),
        'rev-list',
        '--count',
        'main',
      ]),
    ).toBe('1');
  });

  it('finishes a task that stopped between creating the repository and pushing', async () => {
    await repos.claim('billing-api', 'task-7');
    const ctx = await mockContext(input, {
      workspacePath: await renderedWorkspace(),
      taskId: 'task-7',
    });
    await action.handler(ctx);
    const clone = await cloneOf(String(outputsOf(ctx).remoteUrl));
    expect(await fs.readdir(clone)).toContain('catalog-info.yaml');
  });

  it('refuses a name another task holds, before writing anything', async () => {
    await action.handler(
      await mockContext(input, {
        workspacePath: await renderedWorkspace(),
        taskId: 'task-1',
      }),
    );
    const head = await git([
      '--git-dir',
      repos.barePath('billing-api'),
      'rev-parse',
      'main',
    ]);
    await fs.rm(repos.checkoutsRoot, { recursive: true });

    const other = await mockContext(input, {
      workspacePath: await renderedWorkspace(),
      taskId: 'task-2',
    });
    const error = await action.handler(other).catch(e => e);
    expect(error).toBeInstanceOf(ConflictError);
    expect(error.message).toBe(
      'repository "billing-api" already exists and was not created by this task',
    );
    expect(
      await git([
        '--git-dir',
        repos.barePath('billing-api'),
        'rev-parse',
        'main',
      ]),
    ).toBe(head);
    await expect(fs.access(repos.checkoutsRoot)).rejects.toThrow();
    expect(outputsOf(other)).toEqual({});
  });

  it('writes nothing in a dry run and says where it would publish', async () => {
    const ctx = await mockContext(input, {
      workspacePath: await renderedWorkspace(),
      isDryRun: true,
    });
    await action.handler(ctx);
    await expect(fs.access(`${repos.dataDir}/git`)).rejects.toThrow();
    expect(outputsOf(ctx).catalogInfoUrl).toBe(
      `${BASE}/paver/repos/billing-api/contents/catalog-info.yaml`,
    );
  });

  it('reports a taken name in a dry run too', async () => {
    await repos.claim('billing-api', 'someone-else');
    const ctx = await mockContext(input, {
      workspacePath: await renderedWorkspace(),
      isDryRun: true,
    });
    await expect(action.handler(ctx)).rejects.toThrow(ConflictError);
  });

  it('names the template in the commit when the workspace has no answers file', async () => {
    const workspacePath = await tempDir('paver-workspace-');
    await fs.writeFile(path.join(workspacePath, 'README.md'), '# stock\n');
    const ctx = await mockContext(input, { workspacePath });
    await action.handler(ctx);
    const clone = await cloneOf(String(outputsOf(ctx).remoteUrl));
    expect(await git(['-C', clone, 'log', '--format=%s'])).toBe(
      'Initial commit from billing-service',
    );
  });

  it('rejects the github provider when it is not configured', async () => {
    const ctx = await mockContext(
      { ...input, provider: 'github' },
      { workspacePath: await renderedWorkspace() },
    );
    await expect(action.handler(ctx)).rejects.toThrow(InputError);
  });

  it('hands the github provider the input, the workspace and the commit message', async () => {
    const published = {
      remoteUrl: 'https://github.com/acme/billing-api.git',
      repoContentsUrl: 'https://github.com/acme/billing-api/blob/main/',
      catalogInfoUrl:
        'https://github.com/acme/billing-api/blob/main/catalog-info.yaml',
    };
    const github = vi.fn<GithubPublishProvider>().mockResolvedValue(published);
    const withGithub = createPublishAction({
      defaultProvider: 'github',
      local: { repos, scaffolderBaseUrl: async () => BASE },
      github,
    });
    const workspacePath = await renderedWorkspace();
    const ctx = await mockContext(input, { workspacePath, taskId: 'task-9' });
    await withGithub.handler(ctx);
    expect(github).toHaveBeenCalledWith(
      expect.objectContaining({
        input,
        sourceDir: workspacePath,
        taskId: 'task-9',
        commitMessage: 'Initial commit from billing-service@1.0.0',
      }),
    );
    expect(outputsOf(ctx)).toEqual(published);
    await expect(fs.access(repos.gitRoot)).rejects.toThrow();
  });
});
