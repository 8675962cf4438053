import { ConflictError, InputError } from '@backstage/errors';
import { execFileSync } from 'node:child_process';
import { publishToGithub } from './publishToGithub';
import { taskMarker } from './marker';
import { recordingLogger, useDouble } from '../__testUtils__/githubHarness';

const CREATE_IN_ORG = 'POST /orgs/{org}/repos';
const head = (dir: string, gitDirFlag = false) =>
  execFileSync(
    'git',
    gitDirFlag
      ? ['--git-dir', dir, 'rev-parse', 'main']
      : ['rev-parse', 'HEAD'],
    {
      cwd: gitDirFlag ? undefined : dir,
    },
  )
    .toString()
    .trim();

describe('publishToGithub', () => {
  const h = useDouble();

  it('publishes to an organisation: one repository, topics with the marker, the commit, protected main, the team', async () => {
    const input = h.input();
    const result = await publishToGithub(h.client(), input);

    expect(result).toMatchObject({
      created: true,
      htmlUrl: `${h.double.url}/acme/billing`,
    });
    expect(result.steps).toEqual([
      'repository:created',
      'topics:set',
      'push:pushed',
      'protection:set',
      'team:granted',
    ]);
    const [repo, ...others] = h.double.repos();
    expect(others).toEqual([]);
    expect(repo.topics).toEqual(
      expect.arrayContaining([
        'paver',
        'billing',
        taskMarker(input.taskId).topic,
      ]),
    );
    expect(repo.description).toBe(`Billing service [paver:${input.taskId}]`);
    expect(repo.private).toBe(true);
    expect(head(repo.gitDir, true)).toBe(head(input.sourceDir));
    expect(repo.protectedBranches).toEqual(['main']);
    expect(repo.teams).toEqual({ payments: 'maintain' });
    expect(h.double.calls(CREATE_IN_ORG)).toBe(1);
  });

  it("publishes to the token's own user account, with no team step", async () => {
    const result = await publishToGithub(
      h.client(),
      h.input({ owner: 'paver-bot', teamSlug: undefined }),
    );

    expect(result.steps).toContain('team:skipped');
    expect(h.double.calls('POST /user/repos')).toBe(1);
    expect(h.double.repos().map(r => r.full_name)).toEqual([
      'paver-bot/billing',
    ]);
  });

  it('commits a workspace that is not yet a repository before pushing it', async () => {
    const input = h.input();
    execFileSync('rm', ['-rf', `${input.sourceDir}/.git`]);

    await publishToGithub(h.client(), input);

    expect(h.double.repos()[0].branches).toEqual(['main']);
  });

  it('fails with ConflictError when someone else has the name, before any write', async () => {
    h.double.seedRepo({
      owner: 'acme',
      name: 'billing',
      description: 'theirs',
    });

    const publishing = publishToGithub(h.client(), h.input());

    await expect(publishing).rejects.toThrow(
      new ConflictError('repository acme/billing already exists'),
    );
    const writes = h.double.requests().filter(r => r.method !== 'GET');
    expect(writes).toEqual([]);
  });

  it("treats another task's repository as someone else's", async () => {
    const other = taskMarker('11111111-2222-3333-4444-555555555555');
    h.double.seedRepo({
      owner: 'acme',
      name: 'billing',
      topics: [other.topic],
      description: other.tag,
    });

    await expect(publishToGithub(h.client(), h.input())).rejects.toBeInstanceOf(
      ConflictError,
    );
    expect(h.double.calls(CREATE_IN_ORG)).toBe(0);
  });

  it('creates nothing new when the same task runs again after success, even with a re-rendered workspace', async () => {
    const first = h.input();
    await publishToGithub(h.client(), first);
    const firstCommit = head(first.sourceDir);

    const again = await publishToGithub(
      h.client(),
      h.input({ sourceDir: h.source({ 'README.md': 'other\n' }) }),
    );

    expect(again.created).toBe(false);
    expect(again.steps).toEqual([
      'repository:resumed',
      'topics:set',
      'push:already-present',
      'protection:set',
      'team:granted',
    ]);
    expect(h.double.calls(CREATE_IN_ORG)).toBe(1);
    expect(h.double.calls('GIT git-receive-pack')).toBe(1);
    expect(h.double.repos()).toHaveLength(1);
    expect(head(h.double.repos()[0].gitDir, true)).toBe(firstCommit);
  });

  it('resumes a task that stopped right after creating its repository', async () => {
    const stop = new AbortController();
    const logger = recordingLogger(
      line => line.endsWith('repository:created') && stop.abort(),
    );
    const input = h.input({ logger, signal: stop.signal });
    await expect(publishToGithub(h.client(), input)).rejects.toThrow();
    expect(h.double.repos()[0].branches).toEqual([]);

    const result = await publishToGithub(h.client(), {
      ...input,
      logger: recordingLogger(),
      signal: undefined,
    });

    expect(result.steps[0]).toBe('repository:resumed');
    expect(h.double.calls(CREATE_IN_ORG)).toBe(1);
    expect(h.double.repos()).toMatchObject([
      { branches: ['main'], protectedBranches: ['main'] },
    ]);
  });

  it('rejects invalid input before any request', async () => {
    await expect(
      publishToGithub(h.client(), h.input({ topics: ['Not A Topic'] })),
    ).rejects.toThrow(
      new InputError('topic "Not A Topic" is not a valid GitHub topic'),
    );
    await expect(
      publishToGithub(h.client(), h.input({ repo: '../etc' })),
    ).rejects.toBeInstanceOf(InputError);
    expect(h.double.requests()).toEqual([]);
  });

  it('refuses a team for a user-owned repository before creating anything', async () => {
    const publishing = publishToGithub(
      h.client(),
      h.input({ owner: 'paver-bot', teamSlug: 'payments' }),
    );

    await expect(publishing).rejects.toBeInstanceOf(InputError);
    expect(h.double.requests().filter(r => r.method !== 'GET')).toEqual([]);
  });
});
