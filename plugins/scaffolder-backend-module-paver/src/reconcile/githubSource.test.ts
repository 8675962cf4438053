import fs from 'node:fs/promises';
import path from 'node:path';
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { createGithubClient } from '../github/createGithubClient';
import { taskMarker } from '../github/marker';
import { RequestPacer } from '../github/RequestPacer';
import { githubProviderOn, roomyPacer } from '../__testUtils__/githubHarness';
import { startGithubDouble, type GithubDouble } from '@paver/test-utils';
import { tempDir } from '../__testUtils__/mockContext';
import { FakeLocationCatalog } from './fakeLocationCatalog';
import { githubRepositorySource, markerOf } from './githubSource';
import { reconcile } from './reconcile';

describe('the GitHub provider as the reconciler sees it', () => {
  let double: GithubDouble;
  let publishedUrl: string;

  beforeAll(async () => {
    double = await startGithubDouble();

    // Published for real by the GitHub provider of paver:repo:publish: marker topic, pushed main.
    const sourceDir = await tempDir('paver-reconcile-gh-ws-');
    await fs.writeFile(
      path.join(sourceDir, 'catalog-info.yaml'),
      'kind: Component\n',
    );
    const publisher = await githubProviderOn(double, double.issueToken());
    const published = await publisher({
      input: { name: 'billing-api', owner: 'group:default/payments' },
      sourceDir,
      commitMessage: 'Initial commit',
      taskId: 'task-gh-1',
      logger: mockServices.logger.mock(),
      checkpoint: (_key, fn) => fn(),
    });
    publishedUrl = published.catalogInfoUrl;

    // Created by a task that died before setting topics: only the description tag, nothing pushed.
    double.seedRepo({
      owner: 'acme',
      name: 'tag-only',
      description: 'Auth [paver:task-gh-2]',
    });
    // Topics set, nothing pushed.
    double.seedRepo({
      owner: 'acme',
      name: 'half-made',
      topics: ['paver', taskMarker('task-gh-3').topic],
    });
    // Not Paver's, or only a look-alike topic.
    double.seedRepo({
      owner: 'acme',
      name: 'website',
      description: 'Marketing site',
    });
    double.seedRepo({ owner: 'acme', name: 'paver-docs', topics: ['paver'] });
    // The token user's own repository, and one more in the organisation for a third page.
    double.seedRepo({
      owner: 'paver-bot',
      name: 'sandbox',
      topics: [taskMarker('task-gh-4').topic],
    });
    double.seedRepo({ owner: 'acme', name: 'infra', topics: ['terraform'] });
  }, 60_000);

  afterAll(async () => {
    await double?.stop();
  });

  const client = (pacer = roomyPacer()) =>
    createGithubClient({
      baseUrl: double.apiBaseUrl,
      getToken: async () => double.issueToken(),
      pacer,
    });

  it('recognises the marker the publisher sets, as a topic or as the description tag', () => {
    const id = '0b6a4e1c-7d2f-4c1e-9a55-3f2b8c1d9e77';
    expect(markerOf({ topics: ['paver', taskMarker(id).topic] })).toEqual({
      taskId: id,
    });
    expect(markerOf({ description: `Billing ${taskMarker(id).tag}` })).toEqual({
      taskId: id,
    });
    // A task id that does not fit a topic is hashed: recognised, id unknown.
    expect(
      markerOf({ topics: [taskMarker('Task_With_Capitals').topic] }),
    ).toEqual({});
    expect(
      markerOf({ topics: ['paver'], description: 'no tag' }),
    ).toBeUndefined();
  });

  it("lists the organisation's marked repositories page by page, with the URL paver:repo:publish output", async () => {
    const before = double.requests().length;
    const listed = await githubRepositorySource({
      client: client(),
      owner: 'acme',
      perPage: 2,
    }).list();

    // In GitHub's order for an organisation: newest first.
    expect(listed).toEqual([
      {
        repo: 'acme/half-made',
        taskId: 'task-gh-3',
        catalogInfoUrl: `${double.url}/acme/half-made/blob/main/catalog-info.yaml`,
      },
      {
        repo: 'acme/tag-only',
        taskId: 'task-gh-2',
        catalogInfoUrl: `${double.url}/acme/tag-only/blob/main/catalog-info.yaml`,
      },
      {
        repo: 'acme/billing-api',
        taskId: 'task-gh-1',
        catalogInfoUrl: publishedUrl,
      },
    ]);
    // Six organisation repositories at two a page: three pages, each asked for once.
    const lists = double
      .requests()
      .slice(before)
      .filter(r => r.endpoint === 'GET /orgs/{org}/repos');
    expect(lists.map(r => r.status)).toEqual([200, 200, 200]);
    expect(
      lists.map(r => new URLSearchParams(r.query).get('page') ?? '1'),
    ).toEqual(['1', '2', '3']);
  });

  it("lists the token user's repositories when the owner is that user", async () => {
    const listed = await githubRepositorySource({
      client: client(),
      owner: 'paver-bot',
    }).list();
    expect(listed.map(r => r.repo)).toEqual(['paver-bot/sandbox']);
  });

  it('registers the published repository, reports the two without catalog-info.yaml, and only ever reads', async () => {
    const before = double.requests().length;
    const catalog = new FakeLocationCatalog();

    const report = await reconcile({
      source: githubRepositorySource({
        client: client(),
        owner: 'acme',
        perPage: 2,
      }),
      catalog,
      credentials: mockCredentials.service(),
      logger: { info: () => {}, warn: () => {} },
    });

    expect(report.registered).toEqual([
      {
        repo: 'acme/billing-api',
        taskId: 'task-gh-1',
        catalogInfoUrl: publishedUrl,
      },
    ]);
    expect(report.failed.map(f => [f.repo, f.error])).toEqual([
      ['acme/half-made', expect.stringMatching(/catalog-info.yaml is absent/)],
      ['acme/tag-only', expect.stringMatching(/catalog-info.yaml is absent/)],
    ]);
    expect(catalog.added.map(a => a.target)).toEqual([publishedUrl]);
    const mine = double.requests().slice(before);
    // It listed, and read catalog-info.yaml of each marked repository through the contents route.
    expect(
      mine
        .filter(r => r.endpoint === 'GET /repos/{owner}/{repo}/contents/{path}')
        .map(r => [r.path, r.status])
        .sort(),
    ).toEqual([
      ['/api/v3/repos/acme/billing-api/contents/catalog-info.yaml', 200],
      ['/api/v3/repos/acme/half-made/contents/catalog-info.yaml', 404],
      ['/api/v3/repos/acme/tag-only/contents/catalog-info.yaml', 404],
    ]);
    expect(mine.filter(r => r.method !== 'GET')).toEqual([]);
    expect(
      double
        .repos()
        .map(r => r.name)
        .sort(),
    ).toEqual([
      'billing-api',
      'half-made',
      'infra',
      'paver-docs',
      'sandbox',
      'tag-only',
      'website',
    ]);
  });

  it("waits on the pacer's read path: nothing is sent while GitHub's rate-limit window is open", async () => {
    const pacer = new RequestPacer({ minIntervalMs: 0, latencyAllowanceMs: 0 });
    const until = Date.now() + 400;
    await pacer.pauseUntil(until);
    const before = double.requests().length;

    await githubRepositorySource({
      client: client(pacer),
      owner: 'acme',
    }).list();

    const sent = double.requests().slice(before);
    expect(sent.length).toBeGreaterThan(0);
    expect(Math.min(...sent.map(r => r.receivedAt))).toBeGreaterThanOrEqual(
      until,
    );
    // Reads never count against the write budget.
    expect(pacer.grants()).toEqual([]);
  });
});
