import { ForwardedError, isError } from '@backstage/errors';
import type { GithubClient } from '../github';

/** A repository of the GitHub owner, and the signal that cancels requests to it. */
export interface RepoOnGithub {
  owner: string;
  repo: string;
  signal?: AbortSignal;
}

/** What the fleet keeps of a pull request. */
export interface PullRequestRef {
  number: number;
  html_url: string;
}

/** GitHub refuses a body longer than this many characters (the changelog could be long). */
const MAX_BODY = 65_536;

const status = (error: unknown) =>
  isError(error) ? (error as { status?: number }).status : undefined;

/**
 * `GET /repos/{o}/{r}/pulls?state=open&head=<owner>:<branch>`: the open pull request from
 * `branch`, if there is one. The owner in `head` is required: without it GitHub ignores the filter.
 */
export async function findOpenPull(
  client: GithubClient,
  r: RepoOnGithub,
  branch: string,
): Promise<PullRequestRef | undefined> {
  const { data } = await client.octokit.rest.pulls.list({
    owner: r.owner,
    repo: r.repo,
    state: 'open',
    head: `${r.owner}:${branch}`,
    per_page: 1,
    request: { signal: r.signal },
  });
  return data[0];
}

/**
 * `POST /repos/{o}/{r}/pulls` from `head` into `base`. A 422 or 5xx may mean the pull request is
 * open all the same (an earlier attempt's answer was lost, and a retry was refused as a
 * duplicate): then the open one is looked up and returned, so the fleet never opens two.
 */
export async function openPull(
  client: GithubClient,
  r: RepoOnGithub,
  pull: { title: string; body: string; head: string; base: string },
): Promise<PullRequestRef> {
  try {
    const { data } = await client.octokit.rest.pulls.create({
      owner: r.owner,
      repo: r.repo,
      title: pull.title,
      head: pull.head,
      base: pull.base,
      body: pull.body.slice(0, MAX_BODY),
      request: { signal: r.signal },
    });
    return data;
  } catch (error) {
    r.signal?.throwIfAborted();
    const code = status(error) ?? 500;
    const open =
      code === 422 || code >= 500
        ? await findOpenPull(client, r, pull.head)
        : undefined;
    if (open) return open;
    throw new ForwardedError(
      `Failed to open a pull request from ${pull.head} on ${r.owner}/${r.repo}`,
      error,
    );
  }
}
