import { ForwardedError } from '@backstage/errors';
import type { GithubClient } from './createGithubClient';

// Every step here is a PUT that states the whole desired result, so repeating it after a crash or
// a retry converges on the same repository instead of adding to it.

export interface RepoRef {
  owner: string;
  repo: string;
  signal?: AbortSignal;
}

async function step(
  what: string,
  r: RepoRef,
  fn: () => Promise<unknown>,
): Promise<void> {
  try {
    await fn();
  } catch (error) {
    r.signal?.throwIfAborted();
    throw new ForwardedError(
      `Failed to ${what} on ${r.owner}/${r.repo}`,
      error,
    );
  }
}

/** Topics become the union of what the repo has (someone may have added some), ours and the marker. */
export function setTopics(
  client: GithubClient,
  r: RepoRef,
  names: string[],
): Promise<void> {
  return step('set topics', r, () =>
    client.octokit.rest.repos.replaceAllTopics({
      owner: r.owner,
      repo: r.repo,
      names: [...new Set(names)],
      request: { signal: r.signal },
    }),
  );
}

/** Pull requests with one approval, code owners' review (CODEOWNERS), no force pushes or deletion. */
export function protectBranch(
  client: GithubClient,
  r: RepoRef,
  branch: string,
): Promise<void> {
  return step(`protect branch ${branch}`, r, () =>
    client.octokit.rest.repos.updateBranchProtection({
      owner: r.owner,
      repo: r.repo,
      branch,
      required_status_checks: null,
      enforce_admins: false,
      required_pull_request_reviews: {
        required_approving_review_count: 1,
        require_code_owner_reviews: true,
        dismiss_stale_reviews: true,
      },
      restrictions: null,
      allow_force_pushes: false,
      allow_deletions: false,
      request: { signal: r.signal },
    }),
  );
}

/** The owning team maintains the repository (an organisation's repository only). */
export function grantTeam(
  client: GithubClient,
  r: RepoRef,
  teamSlug: string,
): Promise<void> {
  return step(`grant team ${teamSlug} access`, r, () =>
    client.octokit.rest.teams.addOrUpdateRepoPermissionsInOrg({
      org: r.owner,
      team_slug: teamSlug,
      owner: r.owner,
      repo: r.repo,
      permission: 'maintain',
      request: { signal: r.signal },
    }),
  );
}
