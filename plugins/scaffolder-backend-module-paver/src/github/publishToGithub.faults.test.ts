import type { RecordedRequest } from '@paver/test-utils';
import { publishToGithub } from './publishToGithub';
import { useDouble } from '../__testUtils__/githubHarness';

// One test per row of the Faults table in docs/reliability.md that concerns GitHub.

const CREATE_IN_ORG = 'POST /orgs/{org}/repos';
const TOPICS = 'PUT /repos/{owner}/{repo}/topics';

/** Requests that arrived while a rate-limit answer said to wait. */
function insideRateLimitWindows(
  requests: RecordedRequest[],
): RecordedRequest[] {
  const windows = requests.filter(r => r.limitedUntil !== undefined);
  return requests.filter(r =>
    windows.some(
      w =>
        r !== w &&
        r.receivedAt >= w.respondedAt &&
        r.receivedAt < w.limitedUntil!,
    ),
  );
}

describe('publishToGithub under GitHub faults', () => {
  const h = useDouble();

  it('adopts the repository by its marker when create answers 502 after creating it', async () => {
    h.double.inject({ kind: 'create-502' });

    const result = await publishToGithub(h.client(), h.input());

    expect(result.created).toBe(true);
    expect(result.steps.slice(0, 2)).toEqual([
      'repository:adopted',
      'topics:set',
    ]);
    expect(h.double.calls(CREATE_IN_ORG)).toBe(1);
    expect(h.double.repos()).toMatchObject([
      { full_name: 'acme/billing', branches: ['main'] },
    ]);
  });

  it('fails without a second create when a 502 left no repository, and a rerun then succeeds', async () => {
    h.double.inject({
      kind: 'server-error',
      status: 502,
      endpoint: CREATE_IN_ORG,
    });
    const input = h.input();

    await expect(publishToGithub(h.client(), input)).rejects.toThrow(
      /does not exist; the task can be retried/,
    );
    expect(h.double.calls(CREATE_IN_ORG)).toBe(1);
    expect(h.double.repos()).toEqual([]);

    await publishToGithub(h.client(), input);
    expect(h.double.calls(CREATE_IN_ORG)).toBe(2);
    expect(h.double.repos()).toHaveLength(1);
  });

  it.each([403, 429] as const)(
    'waits out a secondary rate limit (%i, retry-after) and sends nothing inside the window',
    async status => {
      h.double.inject({
        kind: 'secondary-rate-limit',
        status,
        retryAfterSeconds: 1,
        endpoint: TOPICS,
      });

      const result = await publishToGithub(h.client(), h.input());

      expect(result.steps).toContain('team:granted');
      const requests = h.double.requests();
      const limited = requests.filter(r => r.status === status);
      expect(limited).toHaveLength(1);
      expect(
        requests.filter(r => r.receivedAt > limited[0].receivedAt).length,
      ).toBeGreaterThan(0);
      expect(insideRateLimitWindows(requests)).toEqual([]);
      expect(h.double.repos()).toHaveLength(1);
    },
  );

  it('waits for x-ratelimit-reset on the primary rate limit, and still creates one repository', async () => {
    h.double.inject({
      kind: 'primary-rate-limit',
      resetInSeconds: 1,
      endpoint: CREATE_IN_ORG,
    });

    await publishToGithub(h.client(), h.input());

    const requests = h.double.requests();
    expect(
      requests.filter(r => r.endpoint === CREATE_IN_ORG).map(r => r.status),
    ).toEqual([403, 201]);
    expect(insideRateLimitWindows(requests)).toEqual([]);
    expect(h.double.repos()).toHaveLength(1);
  });

  it('retries a push that finds no repository yet, with growing waits, then pushes', async () => {
    h.double.inject({ kind: 'git-404', times: 2 });

    const result = await publishToGithub(h.client(), h.input());

    expect(result.steps).toContain('push:pushed');
    const git = h.double.requests().filter(r => r.endpoint.startsWith('GIT'));
    expect(git.slice(0, 3).map(r => r.status)).toEqual([404, 404, 200]);
    // Base 50 ms, doubling: the waits after the first and second 404 are at least 50 and 100 ms.
    expect(git[1].receivedAt - git[0].respondedAt).toBeGreaterThanOrEqual(50);
    expect(git[2].receivedAt - git[1].respondedAt).toBeGreaterThanOrEqual(100);
  });

  it('gives up after the bounded number of push attempts, keeps the repository, and a rerun finishes', async () => {
    h.double.inject({ kind: 'git-404', times: 5 });
    const input = h.input({ timing: { pushAttempts: 3, pushBaseDelayMs: 10 } });

    await expect(publishToGithub(h.client(), input)).rejects.toThrow(
      /still not found after 3 attempts/,
    );
    expect(h.double.calls('GIT info/refs')).toBe(3);
    expect(h.double.repos()).toHaveLength(1);

    const result = await publishToGithub(h.client(), input);
    expect(result.steps).toEqual(
      expect.arrayContaining(['repository:resumed', 'push:pushed']),
    );
    expect(h.double.calls(CREATE_IN_ORG)).toBe(1);
  });

  it('refreshes an installation token that expires mid-task (API 401) and carries on', async () => {
    h.double.inject({ kind: 'token-expired', afterEndpoint: CREATE_IN_ORG });
    const getToken = vi.fn(async () => h.double.issueToken());

    const result = await publishToGithub(h.client(getToken), h.input());

    expect(result.steps).toContain('team:granted');
    expect(getToken).toHaveBeenCalledTimes(2);
    const topics = h.double.requests().filter(r => r.endpoint === TOPICS);
    expect(topics.map(r => [r.status, r.token])).toEqual([
      [401, 'expired'],
      [200, 'valid'],
    ]);
    expect(h.double.repos()).toHaveLength(1);
  });

  it('refreshes a token that git is refused with, and pushes', async () => {
    h.double.inject({ kind: 'token-expired', afterEndpoint: TOPICS });
    const getToken = vi.fn(async () => h.double.issueToken());

    const result = await publishToGithub(h.client(getToken), h.input());

    expect(result.steps).toContain('push:pushed');
    expect(getToken).toHaveBeenCalledTimes(2);
    expect(
      h.double
        .requests()
        .some(r => r.endpoint === 'GIT info/refs' && r.status === 401),
    ).toBe(true);
  });
});
