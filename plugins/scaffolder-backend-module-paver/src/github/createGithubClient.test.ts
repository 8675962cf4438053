import { type GithubDouble, startGithubDouble } from '@paver/test-utils';
import { createGithubClient } from './createGithubClient';
import { RequestPacer, processWidePacer } from './RequestPacer';

const TOPICS = 'PUT /repos/{owner}/{repo}/topics';

function overBudget(times: number[], limit: number, windowMs: number) {
  const sorted = [...times].sort((a, b) => a - b);
  return sorted.filter(
    (t, i) => i + limit < sorted.length && sorted[i + limit] - t < windowMs,
  );
}

describe('createGithubClient', () => {
  let double: GithubDouble;
  beforeEach(async () => {
    double = await startGithubDouble();
    double.seedRepo({ owner: 'acme', name: 'billing' });
  });
  afterEach(() => double.stop());

  const putTopics = (client: ReturnType<typeof createGithubClient>) =>
    client.octokit.rest.repos.replaceAllTopics({
      owner: 'acme',
      repo: 'billing',
      names: ['paver'],
    });

  it('queues a burst of 100 content-creating requests, fails none, and keeps every window under budget on the wire', async () => {
    const windows = [
      { limit: 10, windowMs: 250 },
      { limit: 30, windowMs: 1000 },
    ];
    // The allowance covers the time between letting a request go and its arrival at GitHub
    // (a busy two-core machine, a first connection); production allows a second.
    const pacer = new RequestPacer({
      windows,
      minIntervalMs: 0,
      latencyAllowanceMs: 200,
    });
    const client = createGithubClient({
      baseUrl: double.apiBaseUrl,
      token: double.issueToken(),
      pacer,
    });
    await client.octokit.rest.repos.get({ owner: 'acme', repo: 'billing' });

    const answers = await Promise.all(
      Array.from({ length: 100 }, () => putTopics(client)),
    );

    expect(answers.map(a => a.status)).toEqual(Array(100).fill(200));
    const arrivals = double
      .requests()
      .filter(r => r.endpoint === TOPICS)
      .map(r => r.receivedAt);
    expect(arrivals).toHaveLength(100);
    for (const { limit, windowMs } of windows)
      expect(overBudget(arrivals, limit, windowMs)).toEqual([]);
  });

  it('paces two clients that share a pacer under one budget', async () => {
    const pacer = new RequestPacer({
      windows: [{ limit: 5, windowMs: 200 }],
      minIntervalMs: 0,
      latencyAllowanceMs: 200,
    });
    const clients = [1, 2].map(() =>
      createGithubClient({
        baseUrl: double.apiBaseUrl,
        token: double.issueToken(),
        pacer,
      }),
    );

    await Promise.all(
      clients.flatMap(c => Array.from({ length: 12 }, () => putTopics(c))),
    );

    const arrivals = double
      .requests()
      .filter(r => r.endpoint === TOPICS)
      .map(r => r.receivedAt);
    expect(arrivals).toHaveLength(24);
    expect(overBudget(arrivals, 5, 200)).toEqual([]);
  });

  it('spaces requests that notify people (opening pull requests) by the pacer alone, not 3 s apart', async () => {
    const client = createGithubClient({
      baseUrl: double.apiBaseUrl,
      token: double.issueToken(),
      pacer: new RequestPacer({ minIntervalMs: 0, latencyAllowanceMs: 0 }),
    });
    const openPull = () =>
      client.octokit.rest.pulls
        .create({ owner: 'acme', repo: 'billing', head: 'x', base: 'main' })
        .catch((error: { status: number }) => error.status);

    // Refused (no such branches), but every one reaches GitHub.
    const statuses = await Promise.all(Array.from({ length: 4 }, openPull));

    expect(statuses).toEqual([422, 422, 422, 422]);
    const arrivals = double
      .requests()
      .filter(r => r.endpoint === 'POST /repos/{owner}/{repo}/pulls')
      .map(r => r.receivedAt);
    // plugin-throttling's own notification group would have taken 9 s.
    expect(Math.max(...arrivals) - Math.min(...arrivals)).toBeLessThan(3000);
  });

  it("shares one process-wide pacer, at GitHub's limits, between clients built without one", () => {
    const a = createGithubClient({ baseUrl: double.apiBaseUrl, token: 't' });
    const b = createGithubClient({
      baseUrl: double.apiBaseUrl,
      getToken: async () => 't',
    });

    expect(a.pacer).toBe(b.pacer);
    expect(a.pacer).toBe(processWidePacer());
  });

  it('fetches a fresh token once on 401 and retries the request with it', async () => {
    const getToken = vi.fn(async () => double.issueToken());
    const client = createGithubClient({
      baseUrl: double.apiBaseUrl,
      getToken,
      pacer: new RequestPacer({ minIntervalMs: 0 }),
    });
    await client.octokit.rest.repos.get({ owner: 'acme', repo: 'billing' });
    double.inject({ kind: 'token-expired' });

    const { status } = await client.octokit.rest.repos.get({
      owner: 'acme',
      repo: 'billing',
    });

    expect(status).toBe(200);
    expect(getToken).toHaveBeenCalledTimes(2);
    expect(double.requests().map(r => r.status)).toEqual([200, 401, 200]);
  });

  it('surfaces a 401 with a fixed token, which cannot be refreshed', async () => {
    const client = createGithubClient({
      baseUrl: double.apiBaseUrl,
      token: double.issueToken(),
    });
    double.inject({ kind: 'token-expired' });

    await expect(
      client.octokit.rest.repos.get({ owner: 'acme', repo: 'billing' }),
    ).rejects.toMatchObject({ status: 401 });
    expect(double.calls('GET /repos/{owner}/{repo}')).toBe(1);
  });

  it('holds other requests back while a secondary rate-limit window is open', async () => {
    const pacer = new RequestPacer({ minIntervalMs: 0, latencyAllowanceMs: 0 });
    const logger = { info: vi.fn(), warn: vi.fn() };
    const client = createGithubClient({
      baseUrl: double.apiBaseUrl,
      token: double.issueToken(),
      pacer,
      logger,
    });
    double.inject({
      kind: 'secondary-rate-limit',
      status: 403,
      retryAfterSeconds: 1,
      endpoint: TOPICS,
    });

    const limited = putTopics(client);
    // Another task reads once the limit has been answered and seen.
    await vi.waitFor(() =>
      expect(logger.warn).toHaveBeenCalledWith(
        expect.stringMatching(/secondary rate limit/),
      ),
    );
    await client.octokit.rest.repos.get({ owner: 'acme', repo: 'billing' });
    await limited;

    const [first] = double.requests().filter(r => r.limitedUntil !== undefined);
    const read = double.requests().find(r => r.method === 'GET')!;
    expect(read.receivedAt).toBeGreaterThanOrEqual(first.limitedUntil!);
  });
});
