import fs from 'node:fs/promises';
import path from 'node:path';
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { readPaverConfig } from '../config';
import { createGithubClient } from '../github/createGithubClient';
import { taskMarker } from '../github/marker';
import { RequestPacer } from '../github/RequestPacer';
import { roomyPacer } from '../github/testHarness';
import { createGithubPublisher } from '../githubPublisher';
import { startContentsFront, type ContentsFront } from '../reliability/contentsFront';
import { startGithubDouble, type GithubDouble } from '../testing/github-double';
import { tempDir } from '../testing/mockContext';
import { FakeLocationCatalog } from './fakeLocationCatalog';
import { startListingFront, type ListingFront } from './githubListingFront';
import { githubRepositorySource, markerOf } from './githubSource';
import { reconcile } from './reconcile';

describe('the GitHub provider as the reconciler sees it', () => {
  let double: GithubDouble;
  let contents: ContentsFront;
  let front: ListingFront;
  let publishedUrl: string;

  beforeAll(async () => {
    double = await startGithubDouble();
    contents = await startContentsFront(double);
    front = await startListingFront(double, contents.apiBaseUrl);

    // Published for real by the GitHub provider of paver:repo:publish: marker topic, pushed main.
    const host = new URL(double.url).host;
    const config = new ConfigReader({
      paver: { publish: { provider: 'github', github: { owner: 'acme', host } } },
      integrations: { github: [{ host, apiBaseUrl: double.apiBaseUrl, token: double.issueToken() }] },
    });
    const sourceDir = await tempDir('paver-reconcile-gh-ws-');
    await fs.writeFile(path.join(sourceDir, 'catalog-info.yaml'), 'kind: Component\n');
    const publisher = await createGithubPublisher(config, readPaverConfig(config));
    const published = await publisher!({
      input: { name: 'billing-api', owner: 'group:default/payments' },
      sourceDir,
      commitMessage: 'Initial commit',
      taskId: 'task-gh-1',
      logger: mockServices.logger.mock(),
      checkpoint: (_key, fn) => fn(),
    });
    publishedUrl = published.catalogInfoUrl;

    // Created by a task that died before setting topics: only the description tag, nothing pushed.
    double.seedRepo({ owner: 'acme', name: 'tag-only', description: 'Auth [paver:task-gh-2]' });
    // Topics set, nothing pushed.
    double.seedRepo({ owner: 'acme', name: 'half-made', topics: ['paver', taskMarker('task-gh-3').topic] });
    // Not Paver's, or only a look-alike topic.
    double.seedRepo({ owner: 'acme', name: 'website', description: 'Marketing site' });
    double.seedRepo({ owner: 'acme', name: 'paver-docs', topics: ['paver'] });
    // The token user's own repository, and one more in the organisation for a third page.
    double.seedRepo({ owner: 'paver-bot', name: 'sandbox', topics: [taskMarker('task-gh-4').topic] });
    double.seedRepo({ owner: 'acme', name: 'infra', topics: ['terraform'] });
  }, 60_000);

  afterAll(async () => {
    await front?.stop();
    await contents?.stop();
    await double?.stop();
  });

  const client = (pacer = roomyPacer()) =>
    createGithubClient({ baseUrl: front.apiBaseUrl, getToken: async () => double.issueToken(), pacer });

  it('recognises the marker the publisher sets, as a topic or as the description tag', () => {
    const id = '0b6a4e1c-7d2f-4c1e-9a55-3f2b8c1d9e77';
    expect(markerOf({ topics: ['paver', taskMarker(id).topic] })).toEqual({ taskId: id });
    expect(markerOf({ description: `Billing ${taskMarker(id).tag}` })).toEqual({ taskId: id });
    // A task id that does not fit a topic is hashed: recognised, id unknown.
    expect(markerOf({ topics: [taskMarker('Task_With_Capitals').topic] })).toEqual({});
    expect(markerOf({ topics: ['paver'], description: 'no tag' })).toBeUndefined();
  });

  it("lists the organisation's marked repositories page by page, with the URL paver:repo:publish output", async () => {
    const before = front.requests().length;
    const listed = await githubRepositorySource({ client: client(), owner: 'acme', perPage: 2 }).list();

    expect(listed).toEqual([
      { repo: 'acme/billing-api', taskId: 'task-gh-1', catalogInfoUrl: publishedUrl },
      { repo: 'acme/tag-only', taskId: 'task-gh-2', catalogInfoUrl: `${double.url}/acme/tag-only/blob/main/catalog-info.yaml` },
      { repo: 'acme/half-made', taskId: 'task-gh-3', catalogInfoUrl: `${double.url}/acme/half-made/blob/main/catalog-info.yaml` },
    ]);
    // Six organisation repositories at two a page: three pages, each asked for once.
    const lists = front.requests().slice(before).filter(r => r.path === '/api/v3/orgs/acme/repos');
    expect(lists.map(r => new URLSearchParams(r.query).get('page') ?? '1')).toEqual(['1', '2', '3']);
  });

  it("lists the token user's repositories when the owner is that user", async () => {
    const listed = await githubRepositorySource({ client: client(), owner: 'paver-bot' }).list();
    expect(listed.map(r => r.repo)).toEqual(['paver-bot/sandbox']);
  });

  it('registers the published repository, reports the two without catalog-info.yaml, and only ever reads', async () => {
    const before = front.requests().length;
    const doubleBefore = double.requests().length;
    const catalog = new FakeLocationCatalog();

    const report = await reconcile({
      source: githubRepositorySource({ client: client(), owner: 'acme', perPage: 2 }),
      catalog,
      credentials: mockCredentials.service(),
      logger: { info: () => {}, warn: () => {} },
    });

    expect(report.registered).toEqual([{ repo: 'acme/billing-api', taskId: 'task-gh-1', catalogInfoUrl: publishedUrl }]);
    expect(report.failed.map(f => [f.repo, f.error])).toEqual([
      ['acme/tag-only', expect.stringMatching(/catalog-info.yaml is absent/)],
      ['acme/half-made', expect.stringMatching(/catalog-info.yaml is absent/)],
    ]);
    expect(catalog.added.map(a => a.target)).toEqual([publishedUrl]);
    const mine = front.requests().slice(before);
    expect(mine.length).toBeGreaterThan(0);
    expect(mine.filter(r => r.method !== 'GET')).toEqual([]);
    expect(double.requests().slice(doubleBefore).filter(r => r.method !== 'GET')).toEqual([]);
    expect(double.repos().map(r => r.name).sort()).toEqual(['billing-api', 'half-made', 'infra', 'paver-docs', 'sandbox', 'tag-only', 'website']);
  });

  it("waits on the pacer's read path: nothing is sent while GitHub's rate-limit window is open", async () => {
    const pacer = new RequestPacer({ minIntervalMs: 0, latencyAllowanceMs: 0 });
    const until = Date.now() + 400;
    await pacer.pauseUntil(until);
    const before = front.requests().length;

    await githubRepositorySource({ client: client(pacer), owner: 'acme' }).list();

    const sent = front.requests().slice(before);
    expect(sent.length).toBeGreaterThan(0);
    expect(Math.min(...sent.map(r => r.receivedAt))).toBeGreaterThanOrEqual(until);
    // Reads never count against the write budget.
    expect(pacer.grants()).toEqual([]);
  });
});
