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
  /** As listed: the body lists an upgrade's conflicts. */
  body?: string | null;
  head?: { ref: string; sha: string };
}

/** GitHub refuses a body longer than this many characters (the changelog could be long). */
const MAX_BODY = 65_536;

export const status = (error: unknown) =>
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

/** An open upgrade pull request of a repository, as the overview shows it. */
export interface OpenUpgrade {
  branch: string;
  number: number;
  url: string;
}

/**
 * The open pull requests of a repository whose head is one of its own branches starting with
 * `prefix` (e.g. `paver/upgrade-demo-`), oldest first: `GET /repos/{o}/{r}/pulls?state=open`, one
 * request per 100 open pull requests, whatever the number of releases.
 */
export async function openUpgrades(
  client: GithubClient,
  r: RepoOnGithub,
  prefix: string,
): Promise<OpenUpgrade[]> {
  const { octokit } = client;
  const found: OpenUpgrade[] = [];
  const pages = octokit.paginate.iterator(octokit.rest.pulls.list, {
    owner: r.owner,
    repo: r.repo,
    state: 'open',
    sort: 'created',
    direction: 'asc',
    per_page: 100,
    request: { signal: r.signal },
  });
  for await (const page of pages) {
    for (const pull of page.data) {
      // A branch of the repository itself, not a fork's of the same name.
      const own =
        pull.head.label.toLowerCase() ===
        `${r.owner}:${pull.head.ref}`.toLowerCase();
      if (own && pull.head.ref.startsWith(prefix)) {
        found.push({
          branch: pull.head.ref,
          number: pull.number,
          url: pull.html_url,
        });
      }
    }
  }
  return found;
}

/** `DELETE /repos/{o}/{r}/git/refs/heads/<branch>`; a branch already gone (422) is no error. */
export async function deleteBranch(
  client: GithubClient,
  r: RepoOnGithub,
  branch: string,
): Promise<'deleted' | 'gone'> {
  try {
    await client.octokit.rest.git.deleteRef({
      owner: r.owner,
      repo: r.repo,
      ref: `heads/${branch}`,
      request: { signal: r.signal },
    });
    return 'deleted';
  } catch (error) {
    if (status(error) === 422 && /does not exist/i.test(messageOf(error)))
      return 'gone';
    throw new ForwardedError(
      `Failed to delete ${branch} on ${r.owner}/${r.repo}`,
      error,
    );
  }
}

/** GitHub's message of a refused request (`{ message }`), else the error's. */
export function messageOf(error: unknown): string {
  const data = (error as { response?: { data?: { message?: unknown } } })
    .response?.data;
  if (typeof data?.message === 'string') return data.message;
  return isError(error) ? error.message : String(error);
}
