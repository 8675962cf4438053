import {
  ConflictError,
  ForwardedError,
  InputError,
  isError,
} from '@backstage/errors';
import { setTimeout as sleep } from 'node:timers/promises';
import type { GithubClient } from './createGithubClient';
import { type TaskMarker, carriesMarker, markedDescription } from './marker';

/** What the saga needs to know about a repository, as GitHub returns it. */
export interface RepoFacts {
  html_url: string;
  clone_url: string;
  description: string | null;
  topics?: string[];
  owner: { login: string; type: string };
}

export interface RepoRequest {
  owner: string;
  repo: string;
  description: string;
  visibility: 'public' | 'private';
  signal?: AbortSignal;
}

const status = (error: unknown) =>
  isError(error) ? (error as { status?: number }).status : undefined;

/** `GET /repos/{owner}/{repo}`: the repository, or undefined when GitHub has none by that name. */
export async function findRepository(
  client: GithubClient,
  r: RepoRequest,
): Promise<RepoFacts | undefined> {
  try {
    const { data } = await client.octokit.rest.repos.get({
      owner: r.owner,
      repo: r.repo,
      request: { signal: r.signal },
    });
    return data;
  } catch (error) {
    if (status(error) === 404) return undefined;
    throw new ForwardedError(
      `Failed to look up repository ${r.owner}/${r.repo}`,
      error,
    );
  }
}

/** Ours (carries this task's marker), or a ConflictError: a name taken by anyone else is theirs. */
export function claim(
  found: RepoFacts,
  r: RepoRequest,
  marker: TaskMarker,
): RepoFacts {
  if (!carriesMarker(found, marker)) {
    throw new ConflictError(`repository ${r.owner}/${r.repo} already exists`);
  }
  return found;
}

/** Whether the owner is an organisation; a user must be the one the token belongs to. */
export async function ownerIsOrg(
  client: GithubClient,
  r: RepoRequest,
): Promise<boolean> {
  const request = { signal: r.signal };
  const { data: account } = await client.octokit.rest.users
    .getByUsername({ username: r.owner, request })
    .catch(error => {
      throw status(error) === 404
        ? new InputError(`GitHub account ${r.owner} does not exist`)
        : new ForwardedError(
            `Failed to look up GitHub account ${r.owner}`,
            error,
          );
    });
  if (account.type === 'Organization') return true;
  const { data: me } = await client.octokit.rest.users.getAuthenticated({
    request,
  });
  if (me.login.toLowerCase() !== r.owner.toLowerCase()) {
    throw new InputError(
      `cannot create a repository for user ${r.owner}: the GitHub token belongs to ${me.login}`,
    );
  }
  return false;
}

async function post(
  client: GithubClient,
  r: RepoRequest,
  isOrg: boolean,
  marker: TaskMarker,
): Promise<RepoFacts> {
  const common = {
    name: r.repo,
    description: markedDescription(r.description, marker),
    private: r.visibility !== 'public',
    auto_init: false,
    // plugin-retry would POST again on 5xx; whether a failed create happened is ours to find out.
    request: { retries: 0, signal: r.signal },
  };
  const { data } = isOrg
    ? await client.octokit.rest.repos.createInOrg({
        org: r.owner,
        visibility: r.visibility,
        ...common,
      })
    : await client.octokit.rest.repos.createForAuthenticatedUser(common);
  return data;
}

/** After an answer that leaves it open whether GitHub created the repository: look, a few times. */
async function lookAfterAmbiguousCreate(
  client: GithubClient,
  r: RepoRequest,
  lookups: number[],
) {
  for (const wait of lookups) {
    await sleep(wait, undefined, { signal: r.signal });
    const found = await findRepository(client, r);
    if (found) return found;
  }
  return undefined;
}

/**
 * The point of no return. One POST, never repeated: on a 5xx, a network error or a name clash
 * the repository is looked up again and adopted if it carries this task's marker.
 */
export async function createRepository(
  client: GithubClient,
  r: RepoRequest,
  isOrg: boolean,
  marker: TaskMarker,
  lookups: number[] = [0, 1000, 3000],
): Promise<{ repo: RepoFacts; outcome: 'created' | 'adopted' }> {
  try {
    return { repo: await post(client, r, isOrg, marker), outcome: 'created' };
  } catch (error) {
    r.signal?.throwIfAborted();
    const code = status(error) ?? 500;
    if (code < 500 && code !== 422) {
      throw new ForwardedError(
        `Failed to create repository ${r.owner}/${r.repo}`,
        error,
      );
    }
    const found = await lookAfterAmbiguousCreate(client, r, lookups);
    if (found) return { repo: claim(found, r, marker), outcome: 'adopted' };
    throw new ForwardedError(
      `Failed to create repository ${r.owner}/${r.repo}, and it does not exist; the task can be retried`,
      error,
    );
  }
}
