import { execFile } from 'node:child_process';
import fs from 'node:fs';
import { promisify } from 'node:util';
import { type GithubDouble, makeSourceRepo, startGithubDouble } from '.';
import { responseProblems } from './validate';

// The double must refuse what GitHub refuses, or tests against it prove nothing.

describe('GitHub double', () => {
  let double: GithubDouble;
  beforeEach(async () => {
    double = await startGithubDouble();
  });
  afterEach(() => double.stop());

  const call = (
    method: string,
    route: string,
    body?: unknown,
    token: string | null = double.issueToken(),
    headers: Record<string, string> = {},
  ) =>
    fetch(`${double.apiBaseUrl}${route}`, {
      method,
      headers: {
        ...(token === null ? {} : { authorization: `token ${token}` }),
        'content-type': 'application/json',
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });

  /** The `rel` → URL pairs of a Link header. */
  const links = (res: Response) =>
    Object.fromEntries(
      [
        ...(res.headers.get('link') ?? '').matchAll(/<([^>]+)>; rel="(\w+)"/g),
      ].map(([, url, rel]) => [rel, url]),
    );
  const pageOf = (url: string) => new URL(url).searchParams.get('page');
  const names = (body: unknown) =>
    (body as { full_name: string }[]).map(r => r.full_name);

  /**
   * Creates acme/{name} through the API and pushes `files` to its main branch over git, and each
   * of `branches` as one commit on top of main that adds its file.
   */
  async function published(
    name: string,
    files: Record<string, string>,
    branches: string[] = [],
  ) {
    expect((await call('POST', '/orgs/acme/repos', { name })).status).toBe(201);
    const dir = makeSourceRepo(files);
    const git = (...args: string[]) =>
      // Asynchronously: the double answers the push from this same process.
      promisify(execFile)(
        'git',
        ['-c', 'user.name=t', '-c', 'user.email=t@example.org', ...args],
        { cwd: dir },
      );
    for (const branch of branches) {
      await git('checkout', '--quiet', '-b', branch, 'main');
      fs.writeFileSync(`${dir}/${branch}.txt`, `${branch}\nchanged\n`);
      await git('add', '--all');
      await git('commit', '--quiet', '-m', branch);
    }
    const remote = new URL(`${double.url}/acme/${name}.git`);
    remote.username = 'x-access-token';
    remote.password = double.issueToken();
    await git('push', '--quiet', remote.href, 'main', ...branches);
    fs.rmSync(dir, { recursive: true, force: true });
  }

  it("answers 422 to a body GitHub's REST description does not allow", async () => {
    const unknownKey = await call('POST', '/orgs/acme/repos', {
      name: 'x',
      colour: 'blue',
    });
    const badEnum = await call('POST', '/orgs/acme/repos', {
      name: 'x',
      visibility: 'secret',
    });
    const missing = await call('PUT', '/repos/acme/x/topics', {});

    expect([unknownKey.status, badEnum.status, missing.status]).toEqual([
      422, 422, 422,
    ]);
    expect(double.repos()).toEqual([]);
  });

  it('answers 401 to an unknown token and 422 to a second repository of the same name', async () => {
    expect((await call('GET', '/user', undefined, 'ghs_forged')).status).toBe(
      401,
    );
    expect((await call('POST', '/orgs/acme/repos', { name: 'x' })).status).toBe(
      201,
    );
    expect((await call('POST', '/orgs/acme/repos', { name: 'x' })).status).toBe(
      422,
    );
    expect(double.calls('POST /orgs/{org}/repos')).toBe(2);
  });

  it('refuses branch protection on a branch that was never pushed', async () => {
    await call('POST', '/orgs/acme/repos', { name: 'x' });
    const body = {
      required_status_checks: null,
      enforce_admins: false,
      required_pull_request_reviews: null,
      restrictions: null,
    };

    expect(
      (await call('PUT', '/repos/acme/x/branches/main/protection', body))
        .status,
    ).toBe(404);
  });

  describe('listing repositories', () => {
    it("pages an organisation's repositories, newest first, with GitHub's Link header", async () => {
      for (const name of ['one', 'two', 'three', 'four', 'five']) {
        double.seedRepo({ owner: 'acme', name });
      }
      double.seedRepo({ owner: 'paver-bot', name: 'not-the-orgs' });

      const first = await call('GET', '/orgs/acme/repos?per_page=2');
      const firstBody = await first.json();
      expect(first.status).toBe(200);
      expect(
        responseProblems('GET', '/orgs/{org}/repos', 200, firstBody, {
          required: false,
        }),
      ).toEqual([]);
      expect(names(firstBody)).toEqual(['acme/five', 'acme/four']);
      const firstLinks = links(first);
      expect(Object.keys(firstLinks)).toEqual(['next', 'last']);
      expect([pageOf(firstLinks.next), pageOf(firstLinks.last)]).toEqual([
        '2',
        '3',
      ]);
      expect(new URL(firstLinks.next).searchParams.get('per_page')).toBe('2');

      const last = await call('GET', '/orgs/acme/repos?per_page=2&page=3');
      expect(names(await last.json())).toEqual(['acme/one']);
      expect(Object.keys(links(last))).toEqual(['prev', 'first']);

      // Following rel="next" from the first page visits every page once.
      const seen: string[] = [];
      let next:
        | string
        | undefined = `${double.apiBaseUrl}/orgs/acme/repos?per_page=2`;
      while (next) {
        const page = await call('GET', next.slice(double.apiBaseUrl.length));
        seen.push(...names(await page.json()));
        next = links(page).next;
      }
      expect(seen).toEqual([
        'acme/five',
        'acme/four',
        'acme/three',
        'acme/two',
        'acme/one',
      ]);
      expect(double.calls('GET /orgs/{org}/repos')).toBe(5);
      expect((await call('GET', '/orgs/nobody/repos')).status).toBe(404);
    });

    it("lists the token user's repositories and its organisations', by full name", async () => {
      double.seedRepo({ owner: 'acme', name: 'billing' });
      double.seedRepo({ owner: 'paver-bot', name: 'sandbox' });

      const all = await call('GET', '/user/repos');
      const allBody = await all.json();
      expect(
        responseProblems('GET', '/user/repos', 200, allBody, {
          required: false,
        }),
      ).toEqual([]);
      expect(names(allBody)).toEqual(['acme/billing', 'paver-bot/sandbox']);
      expect(all.headers.get('link')).toBeNull();
      const own = await call('GET', '/user/repos?affiliation=owner');
      expect(names(await own.json())).toEqual(['paver-bot/sandbox']);

      const both = await call(
        'GET',
        '/user/repos?type=owner&affiliation=owner',
      );
      expect(both.status).toBe(422);
      expect(
        responseProblems('GET', '/user/repos', 422, await both.json()),
      ).toEqual([]);
    });
  });

  describe('reading contents', () => {
    const route = '/repos/{owner}/{repo}/contents/{path}';

    it('answers the bytes of a file for the raw media type, and base64 JSON without it', async () => {
      const yaml = 'apiVersion: backstage.io/v1alpha1\nkind: Component\n';
      await published('svc', {
        'catalog-info.yaml': yaml,
        'docs/guide.md': '# Guide\n',
      });

      const raw = await call(
        'GET',
        '/repos/acme/svc/contents/catalog-info.yaml?ref=main',
        undefined,
        undefined,
        {
          accept: 'application/vnd.github.v3.raw',
        },
      );
      expect(raw.status).toBe(200);
      expect(raw.headers.get('content-type')).toBe(
        'application/vnd.github.raw',
      );
      expect(await raw.text()).toBe(yaml);

      const json = await call('GET', '/repos/acme/svc/contents/docs/guide.md');
      const file = await json.json();
      expect(responseProblems('GET', route, 200, file)).toEqual([]);
      expect(file).toMatchObject({
        type: 'file',
        path: 'docs/guide.md',
        name: 'guide.md',
        size: 8,
      });
      expect(Buffer.from(file.content, 'base64').toString()).toBe('# Guide\n');

      const dir = await call('GET', '/repos/acme/svc/contents/docs');
      const entries = await dir.json();
      expect(responseProblems('GET', route, 200, entries)).toEqual([]);
      expect(entries.map((e: { path: string }) => e.path)).toEqual([
        'docs/guide.md',
      ]);
      expect(double.calls(`GET ${route}`)).toBe(3);
    });

    it('serves a repository seeded with files as one commit on main, without the API', async () => {
      const seeded = double.seedRepo({
        owner: 'acme',
        name: 'seeded',
        files: { 'a.txt': 'A\n', 'dir/b.txt': Buffer.from('B\n') },
      });

      expect(seeded.branches).toEqual(['main']);
      const file = await call(
        'GET',
        '/repos/acme/seeded/contents/dir/b.txt',
        undefined,
        undefined,
        {
          accept: 'application/vnd.github.raw',
        },
      );
      expect(await file.text()).toBe('B\n');
      const listing = await (
        await call('GET', '/repos/acme/seeded/contents/dir')
      ).json();
      expect(
        listing.map((e: { path: string; type: string }) => [e.path, e.type]),
      ).toEqual([['dir/b.txt', 'file']]);
      expect(double.calls('POST /orgs/{org}/repos')).toBe(0);
    });

    it('answers 404 for a file, a ref or a repository that does not exist', async () => {
      await published('svc', { 'README.md': '# svc\n' });
      const raw = { accept: 'application/vnd.github.raw+json' };

      const missing = await call(
        'GET',
        '/repos/acme/svc/contents/catalog-info.yaml',
        undefined,
        undefined,
        raw,
      );
      expect(missing.status).toBe(404);
      expect(responseProblems('GET', route, 404, await missing.json())).toEqual(
        [],
      );
      const statuses = await Promise.all(
        [
          '/repos/acme/svc/contents/README.md?ref=nope',
          '/repos/acme/ghost/contents/README.md',
        ].map(
          async r => (await call('GET', r, undefined, undefined, raw)).status,
        ),
      );
      expect(statuses).toEqual([404, 404]);
    });

    it('is counted and takes injected faults like every other route', async () => {
      await published('svc', { 'catalog-info.yaml': 'kind: Component\n' });
      double.inject({
        kind: 'server-error',
        status: 502,
        endpoint: `GET ${route}`,
      });

      const statuses = [];
      for (let i = 0; i < 2; i += 1) {
        statuses.push(
          (await call('GET', '/repos/acme/svc/contents/catalog-info.yaml'))
            .status,
        );
      }
      expect(statuses).toEqual([502, 200]);
      expect(double.calls(`GET ${route}`)).toBe(2);
    });
  });

  describe('pull requests', () => {
    const route = '/repos/{owner}/{repo}/pulls';
    // Users and repositories inside a pull request are the double's documented subsets.
    const pullSubsets = (at: string) =>
      ['user', 'head.user', 'head.repo', 'base.user', 'base.repo'].map(
        p => `${at}.${p}`,
      );
    const open = (head: string, extra: Record<string, unknown> = {}) =>
      call('POST', '/repos/acme/svc/pulls', {
        title: `Merge ${head}`,
        head,
        base: 'main',
        body: `Changes of ${head}`,
        ...extra,
      });

    it('opens a pull request from a pushed branch, whole as GitHub answers it, and lists it by head', async () => {
      await published('svc', { 'README.md': '# svc\n' }, ['feature']);

      const created = await open('acme:feature', { draft: true });
      expect(created.status).toBe(201);
      const pull = await created.json();
      expect(
        responseProblems('POST', route, 201, pull, {
          subsets: pullSubsets('body'),
        }),
      ).toEqual([]);
      expect(pull).toMatchObject({
        number: 1,
        state: 'open',
        title: 'Merge acme:feature',
        body: 'Changes of acme:feature',
        draft: true,
        html_url: `${double.url}/acme/svc/pull/1`,
        head: { ref: 'feature', label: 'acme:feature' },
        base: { ref: 'main', repo: { full_name: 'acme/svc' } },
        commits: 1,
        additions: 2,
        deletions: 0,
        changed_files: 1,
      });
      expect(created.headers.get('location')).toBe(
        `${double.apiBaseUrl}/repos/acme/svc/pulls/1`,
      );

      const listed = await call(
        'GET',
        '/repos/acme/svc/pulls?state=open&head=acme:feature&base=main',
      );
      const items = await listed.json();
      expect(
        responseProblems('GET', route, 200, items, {
          subsets: pullSubsets('body[]'),
        }),
      ).toEqual([]);
      expect(items.map((p: { number: number }) => p.number)).toEqual([1]);
      const count = async (query: string) =>
        (await (await call('GET', `/repos/acme/svc/pulls${query}`)).json())
          .length;
      // GitHub ignores a head filter without its owner, and lists everything.
      expect(
        await Promise.all(
          [
            '?head=acme:other',
            '?head=feature',
            '?state=closed',
            '?state=all',
            '?base=dev',
          ].map(count),
        ),
      ).toEqual([0, 1, 0, 1, 0]);
      expect(double.repos()[0].pulls).toMatchObject([
        { number: 1, head: 'feature', base: 'main', draft: true },
      ]);
      expect(double.calls(`POST ${route}`)).toBe(1);
      expect(double.calls(`GET ${route}`)).toBe(6);
    });

    it('refuses a second pull request for the same head, a head or base that is no branch, and nothing to merge', async () => {
      await published('svc', { 'README.md': '# svc\n' }, ['feature']);
      expect((await open('feature')).status).toBe(201);

      const again = await open('acme:feature');
      const ghostHead = await open('ghost');
      const otherOwner = await open('someone:feature');
      const ghostBase = await open('feature', { base: 'nope' });
      const nothing = await open('main');
      const bodies = await Promise.all(
        [again, ghostHead, otherOwner, ghostBase, nothing].map(r => r.json()),
      );
      expect(
        [again, ghostHead, otherOwner, ghostBase, nothing].map(r => r.status),
      ).toEqual([422, 422, 422, 422, 422]);
      for (const body of bodies) {
        expect(responseProblems('POST', route, 422, body)).toEqual([]);
        expect(body.message).toBe('Validation Failed');
      }
      expect(bodies.map(b => b.errors[0])).toEqual([
        {
          resource: 'PullRequest',
          code: 'custom',
          message: 'A pull request already exists for acme:feature.',
        },
        { resource: 'PullRequest', field: 'head', code: 'invalid' },
        { resource: 'PullRequest', field: 'head', code: 'invalid' },
        { resource: 'PullRequest', field: 'base', code: 'invalid' },
        {
          resource: 'PullRequest',
          code: 'custom',
          message: 'No commits between main and main',
        },
      ]);
      const statuses = await Promise.all(
        [
          { title: 'x', base: 'main' },
          { title: 'x', head: 'feature', base: 'main', labels: ['a'] },
          { head: 'feature', base: 'main' },
        ].map(
          async b => (await call('POST', '/repos/acme/svc/pulls', b)).status,
        ),
      );
      expect(statuses).toEqual([422, 422, 422]);
      expect(double.repos()[0].pulls).toHaveLength(1);
      expect(
        (
          await call('POST', '/repos/acme/ghost/pulls', {
            head: 'a',
            base: 'b',
          })
        ).status,
      ).toBe(404);
    });

    it("pages pull requests newest first with GitHub's Link header", async () => {
      await published('svc', { 'README.md': '# svc\n' }, [
        'one',
        'two',
        'three',
      ]);
      for (const branch of ['one', 'two', 'three']) await open(branch);

      const first = await call('GET', '/repos/acme/svc/pulls?per_page=2');
      const titles = (body: unknown) =>
        (body as { title: string }[]).map(p => p.title);
      expect(titles(await first.json())).toEqual(['Merge three', 'Merge two']);
      expect(Object.keys(links(first))).toEqual(['next', 'last']);
      const second = await call(
        'GET',
        links(first).next.slice(double.apiBaseUrl.length),
      );
      expect(titles(await second.json())).toEqual(['Merge one']);
      const oldest = await call('GET', '/repos/acme/svc/pulls?direction=asc');
      expect(titles(await oldest.json())).toEqual([
        'Merge one',
        'Merge two',
        'Merge three',
      ]);
    });

    it('takes an injected secondary rate limit on the create route, then opens the pull request', async () => {
      await published('svc', { 'README.md': '# svc\n' }, ['feature']);
      double.inject({
        kind: 'secondary-rate-limit',
        status: 403,
        retryAfterSeconds: 1,
        endpoint: `POST ${route}`,
      });

      const limited = await open('feature');
      expect(limited.status).toBe(403);
      expect(limited.headers.get('retry-after')).toBe('1');
      expect(
        responseProblems('POST', route, 403, await limited.json()),
      ).toEqual([]);
      expect((await open('feature')).status).toBe(201);
      expect(double.calls(`POST ${route}`)).toBe(2);
      expect(double.repos()[0].pulls).toHaveLength(1);
    });
  });

  it('answers 401 to the listing and contents routes without a token', async () => {
    await published('svc', { 'catalog-info.yaml': 'kind: Component\n' });
    const paths = [
      '/orgs/acme/repos',
      '/user/repos',
      '/repos/acme/svc/contents/catalog-info.yaml',
    ];

    const answers = await Promise.all(
      paths.map(p => call('GET', p, undefined, null)),
    );

    expect(answers.map(a => a.status)).toEqual([401, 401, 401]);
    expect(
      responseProblems('GET', '/user/repos', 401, await answers[1].json()),
    ).toEqual([]);
    expect(
      double
        .requests()
        // (git itself first asks without credentials, as it always does)
        .filter(r => r.token === 'none' && !r.endpoint.startsWith('GIT'))
        .map(r => r.endpoint)
        .sort(),
    ).toEqual([
      'GET /orgs/{org}/repos',
      'GET /repos/{owner}/{repo}/contents/{path}',
      'GET /user/repos',
    ]);
  });

  describe('merging and closing pull requests', () => {
    const pullSubsets = [
      'user',
      'head.user',
      'head.repo',
      'base.user',
      'base.repo',
      'merged_by',
    ].map(p => `body.${p}`);
    const open = (head: string) =>
      call('POST', '/repos/acme/svc/pulls', {
        title: `Merge ${head}`,
        head,
        base: 'main',
      });
    const gitDir = () => double.repos()[0].gitDir;
    const bare = (...args: string[]) =>
      promisify(execFile)('git', ['--git-dir', gitDir(), ...args]).then(r =>
        r.stdout.trim(),
      );

    it('merges with a merge commit on the base, pinned to the head, as GitHub answers', async () => {
      await published('svc', { 'README.md': '# svc\n' }, ['feature']);
      await open('feature');
      const head = await bare('rev-parse', 'feature');

      const moved = await call('PUT', '/repos/acme/svc/pulls/1/merge', {
        sha: 'f'.repeat(40),
      });
      expect(moved.status).toBe(409);
      expect(
        responseProblems(
          'PUT',
          '/repos/{owner}/{repo}/pulls/{pull_number}/merge',
          409,
          await moved.json(),
        ),
      ).toEqual([]);
      const merged = await call('PUT', '/repos/acme/svc/pulls/1/merge', {
        sha: head,
        merge_method: 'merge',
        commit_title: 'Merge feature',
      });
      expect(merged.status).toBe(200);
      const result = await merged.json();
      expect(
        responseProblems(
          'PUT',
          '/repos/{owner}/{repo}/pulls/{pull_number}/merge',
          200,
          result,
        ),
      ).toEqual([]);
      expect(result).toEqual({
        sha: await bare('rev-parse', 'main'),
        merged: true,
        message: 'Pull Request successfully merged',
      });
      expect(await bare('log', '-1', '--format=%s%n%P', 'main')).toMatch(
        new RegExp(`^Merge feature\n\\w+ ${head}$`),
      );
      expect(await bare('show', 'main:feature.txt')).toBe('feature\nchanged');
      expect(double.repos()[0]).toMatchObject({
        branches: ['feature', 'main'],
        pulls: [{ state: 'closed', mergeCommitSha: result.sha }],
      });
      const again = await call('PUT', '/repos/acme/svc/pulls/1/merge', {});
      expect([again.status, (await again.json()).message]).toEqual([
        405,
        'Pull Request is not mergeable',
      ]);
      const listed = await (
        await call('GET', '/repos/acme/svc/pulls?state=closed')
      ).json();
      expect(listed[0]).toMatchObject({
        merged_at: expect.any(String),
        merge_commit_sha: result.sha,
      });
      const missing = await call('PUT', '/repos/acme/svc/pulls/9/merge', {});
      expect(missing.status).toBe(404);
      expect(
        double.calls('PUT /repos/{owner}/{repo}/pulls/{pull_number}/merge'),
      ).toBe(4);
    });

    it('answers 405 "Pull Request is not mergeable" when the head no longer merges cleanly, changing nothing', async () => {
      await published('svc', { 'README.md': '# svc\n' }, ['feature']);
      await open('feature');
      // main adds the same file differently: an add/add conflict.
      const work = fs.mkdtempSync('/tmp/paver-double-conflict-');
      const git = (...args: string[]) =>
        promisify(execFile)(
          'git',
          ['-c', 'user.name=t', '-c', 'user.email=t@example.org', ...args],
          { cwd: work },
        );
      await git('clone', '--quiet', gitDir(), '.');
      fs.writeFileSync(`${work}/feature.txt`, 'ours\n');
      await git('add', '--all');
      await git('commit', '--quiet', '-m', 'ours');
      await git('push', '--quiet', 'origin', 'main');
      fs.rmSync(work, { recursive: true, force: true });
      const main = await bare('rev-parse', 'main');

      const refused = await call('PUT', '/repos/acme/svc/pulls/1/merge', {});
      expect(refused.status).toBe(405);
      const body = await refused.json();
      expect(body.message).toBe('Pull Request is not mergeable');
      expect(
        responseProblems(
          'PUT',
          '/repos/{owner}/{repo}/pulls/{pull_number}/merge',
          405,
          body,
        ),
      ).toEqual([]);
      expect(await bare('rev-parse', 'main')).toBe(main);
      expect(double.repos()[0].pulls).toMatchObject([
        { state: 'open', mergedAt: null },
      ]);
    });

    it('closes and reopens with PATCH, whole as GitHub answers, and deletes a branch, closing its pull requests', async () => {
      await published('svc', { 'README.md': '# svc\n' }, ['feature', 'other']);
      await open('feature');
      await open('other');
      const route = '/repos/{owner}/{repo}/pulls/{pull_number}';

      const closed = await call('PATCH', '/repos/acme/svc/pulls/1', {
        state: 'closed',
      });
      expect(closed.status).toBe(200);
      const pull = await closed.json();
      expect(
        responseProblems('PATCH', route, 200, pull, { subsets: pullSubsets }),
      ).toEqual([]);
      expect(pull).toMatchObject({
        state: 'closed',
        merged: false,
        closed_at: expect.any(String),
      });
      const reopened = await call('PATCH', '/repos/acme/svc/pulls/1', {
        state: 'open',
      });
      expect((await reopened.json()).state).toBe('open');
      expect(
        (await call('PATCH', '/repos/acme/svc/pulls/1', { state: 'shut' }))
          .status,
      ).toBe(422);
      expect(
        (await call('PATCH', '/repos/acme/svc/pulls/7', { state: 'closed' }))
          .status,
      ).toBe(404);

      // Slashes in the ref, encoded as octokit sends them or not.
      const deleted = await call(
        'DELETE',
        '/repos/acme/svc/git/refs/heads%2Ffeature',
      );
      expect(deleted.status).toBe(204);
      expect(double.repos()[0]).toMatchObject({
        branches: ['main', 'other'],
        pulls: [
          { head: 'feature', state: 'closed' },
          { head: 'other', state: 'open' },
        ],
      });
      const gone = await call(
        'DELETE',
        '/repos/acme/svc/git/refs/heads/feature',
      );
      expect(gone.status).toBe(422);
      const goneBody = await gone.json();
      // GitHub's answer; its REST description documents this 422 without a body schema.
      expect(goneBody).toEqual({
        message: 'Reference does not exist',
        documentation_url: expect.any(String),
      });
      const reopen = await call('PATCH', '/repos/acme/svc/pulls/1', {
        state: 'open',
      });
      expect(reopen.status).toBe(422);
      expect(double.calls('DELETE /repos/{owner}/{repo}/git/refs/{ref}')).toBe(
        2,
      );
    });

    it("answers a branch's tip for the sha media type only", async () => {
      await published('svc', { 'README.md': '# svc\n' });
      double.seedRepo({ owner: 'acme', name: 'empty' });
      const sha = { accept: 'application/vnd.github.sha' };

      const tip = await call(
        'GET',
        '/repos/acme/svc/commits/main',
        undefined,
        undefined,
        sha,
      );
      expect([tip.status, await tip.text()]).toEqual([
        200,
        await bare('rev-parse', 'main'),
      ]);
      expect(
        (
          await call(
            'GET',
            '/repos/acme/svc/commits/nope',
            undefined,
            undefined,
            sha,
          )
        ).status,
      ).toBe(422);
      expect(
        (
          await call(
            'GET',
            '/repos/acme/empty/commits/main',
            undefined,
            undefined,
            sha,
          )
        ).status,
      ).toBe(409);
      expect((await call('GET', '/repos/acme/svc/commits/main')).status).toBe(
        415,
      );
    });
  });
});
