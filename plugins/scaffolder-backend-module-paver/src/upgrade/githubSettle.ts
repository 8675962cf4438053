import {
  ConflictError,
  ForwardedError,
  NotFoundError,
} from '@backstage/errors';
import type { GithubClient } from '../github';
import {
  deleteBranch,
  findOpenPull,
  messageOf,
  status,
  type PullRequestRef,
  type RepoOnGithub,
} from './githubPullRequests';
import { rawText } from './githubRawText';

/** The conflict marker an upgrade writes into a file it could not merge (`mergeText`). */
const MARKER = /^<<<<<<< yours$/m;
/** The heading of an upgrade pull request's body above its conflicts (`upgradeCheckout`). */
const CONFLICTS_HEADING = 'Conflicts to resolve before merging';

/** The files an upgrade pull request's body lists as conflicts (`- <path>: <reason>`). */
export function conflictsInBody(body: string | null | undefined): string[] {
  const lines = (body ?? '').split('\n');
  const start = lines.findIndex(l => l.startsWith(CONFLICTS_HEADING));
  if (start < 0) return [];
  const files: string[] = [];
  for (const line of lines.slice(start + 1)) {
    const item = /^- (.+?): /.exec(line);
    if (!item) break;
    files.push(item[1]);
  }
  return files;
}

async function openUpgrade(
  client: GithubClient,
  on: RepoOnGithub,
  branch: string,
): Promise<PullRequestRef> {
  const pull = await findOpenPull(client, on, branch);
  if (!pull) {
    throw new NotFoundError(`${on.repo} has no open upgrade ${branch}`);
  }
  return pull;
}

/**
 * The files the body lists as conflicts that still hold a conflict marker on the branch, one
 * `GET …/contents/{path}?ref=<branch>` per listed file (none for a conflict-free upgrade). A file
 * deleted on the branch is resolved.
 */
async function unresolved(
  client: GithubClient,
  on: RepoOnGithub,
  branch: string,
  listed: string[],
): Promise<string[]> {
  const still: string[] = [];
  for (const file of listed) {
    try {
      const { data } = await client.octokit.rest.repos.getContent({
        owner: on.owner,
        repo: on.repo,
        path: file,
        ref: branch,
        mediaType: { format: 'raw' },
        request: { signal: on.signal },
      });
      if (MARKER.test(rawText(data))) still.push(file);
    } catch (error) {
      if (status(error) !== 404) {
        throw new ForwardedError(
          `Failed to read ${file} of ${branch} on ${on.owner}/${on.repo}`,
          error,
        );
      }
    }
  }
  return still;
}

/**
 * Merges `service`'s upgrade pull request from `branch` on GitHub with a merge commit
 * (`PUT …/pulls/{n}/merge`, pinned to the head it checked), then deletes the branch. Refused (409,
 * nothing changed) while a file its body lists as a conflict still holds conflict markers on the
 * branch, when GitHub finds it not mergeable (405), or when the branch moved meanwhile (409).
 * Requests: the open pull request (`GET …/pulls?head=`), one read per listed conflict, the
 * merge, the branch's deletion.
 */
export async function mergeGithubUpgrade(
  client: GithubClient,
  on: RepoOnGithub,
  branch: string,
): Promise<{ commit: string; url: string }> {
  const service = on.repo;
  const pull = await openUpgrade(client, on, branch);
  const marked = await unresolved(
    client,
    on,
    branch,
    conflictsInBody(pull.body),
  );
  if (marked.length > 0) {
    throw new ConflictError(
      `${service}: ${branch} still has conflict markers in ${marked.join(
        ', ',
      )}; resolve them on the branch first (${pull.html_url})`,
    );
  }
  let commit: string;
  try {
    const { data } = await client.octokit.rest.pulls.merge({
      owner: on.owner,
      repo: on.repo,
      pull_number: pull.number,
      merge_method: 'merge',
      commit_title: `Merge ${branch}`,
      ...(pull.head?.sha ? { sha: pull.head.sha } : {}),
      request: { signal: on.signal },
    });
    commit = data.sha;
  } catch (error) {
    const code = status(error);
    if (code === 405 || code === 409) {
      throw new ConflictError(
        `${service}: GitHub refuses to merge ${branch} (${messageOf(
          error,
        )}); update the branch first (${pull.html_url})`,
      );
    }
    throw new ForwardedError(
      `Failed to merge ${branch} on ${on.owner}/${on.repo}`,
      error,
    );
  }
  await deleteBranch(client, on, branch);
  return { commit, url: pull.html_url };
}

/**
 * Closes `service`'s upgrade pull request from `branch` on GitHub without merging it
 * (`PATCH …/pulls/{n}` `{ state: 'closed' }`), then deletes the branch, so a later upgrade to the
 * same version starts afresh. Requests: the open pull request, the update, the deletion.
 */
export async function closeGithubUpgrade(
  client: GithubClient,
  on: RepoOnGithub,
  branch: string,
): Promise<{ url: string }> {
  const pull = await openUpgrade(client, on, branch);
  try {
    await client.octokit.rest.pulls.update({
      owner: on.owner,
      repo: on.repo,
      pull_number: pull.number,
      state: 'closed',
      request: { signal: on.signal },
    });
  } catch (error) {
    throw new ForwardedError(
      `Failed to close ${pull.html_url} on ${on.owner}/${on.repo}`,
      error,
    );
  }
  await deleteBranch(client, on, branch);
  return { url: pull.html_url };
}
