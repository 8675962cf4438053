import { ForwardedError } from '@backstage/errors';
import { ANSWERS_FILE } from '@paver/golden-path';
import type { GithubClient } from '../github';
import { markerOf } from '../reconcile/githubSource';
import { recordsTemplate } from './fleet';
import { rawTextUnlessAbsent } from './githubRawText';

/** A service's repository on GitHub, as far as the fleet knows it before upgrading it. */
export interface GithubServiceRepo {
  name: string;
  /** From the listing; looked up (`GET /repos/{o}/{r}`) when unknown. */
  cloneUrl?: string;
  defaultBranch?: string;
}

/** What the listing gives of a repository (GitHub's minimal-repository). */
export interface ListedRepo {
  name: string;
  clone_url?: string;
  default_branch?: string;
  description: string | null;
  topics?: string[];
}

/**
 * The services of `template` in the organisation `org`, sorted by name: the repositories the
 * scaffolder created (`GET /orgs/{org}/repos`, those carrying a `paver-task-` marker topic or
 * description tag, as the reconciler finds them) whose `.paver/answers.yaml` on the default
 * branch (`GET /repos/{o}/{r}/contents/{path}?ref=`) records `template`. A repository without
 * that file is no service; one whose file cannot be parsed is counted in, so its upgrade reports
 * it. Reads only, one after the other (GitHub asks for no concurrent requests): a page per 100
 * repositories and one per marked repository.
 */
export async function discoverServices(
  client: GithubClient,
  org: string,
  template: string,
  signal?: AbortSignal,
): Promise<GithubServiceRepo[]> {
  const services: GithubServiceRepo[] = [];
  for await (const repo of markedRepos(client, org, signal)) {
    const text = await readAnswers(client, org, repo, signal);
    if (text !== undefined && recordsTemplate(text, label(repo), template)) {
      services.push({
        name: repo.name,
        cloneUrl: repo.clone_url,
        defaultBranch: repo.default_branch,
      });
    }
  }
  return services.sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * The repositories of the organisation `org` the scaffolder created, in listing order: those of
 * `GET /orgs/{org}/repos` carrying a `paver-task-` marker topic or description tag. The next page
 * (of 100) is asked for only once the caller is done with this one's repositories, so the
 * listing and the caller's own reads go one after the other (GitHub asks for no concurrency).
 */
export async function* markedRepos(
  client: GithubClient,
  org: string,
  signal?: AbortSignal,
): AsyncIterable<ListedRepo> {
  const { octokit } = client;
  const pages = octokit.paginate.iterator(octokit.rest.repos.listForOrg, {
    org,
    type: 'all',
    per_page: 100,
    request: { signal },
  });
  for await (const page of pages) {
    for (const repo of page.data as ListedRepo[]) {
      if (markerOf(repo)) yield repo;
    }
  }
}

const label = (repo: ListedRepo) => `${repo.name}: ${ANSWERS_FILE}`;

/** The answers file's text on the default branch, or undefined when the repository has none. */
export async function readAnswers(
  client: GithubClient,
  owner: string,
  repo: ListedRepo,
  signal?: AbortSignal,
): Promise<string | undefined> {
  try {
    return await rawTextUnlessAbsent(
      () =>
        client.octokit.rest.repos.getContent({
          owner,
          repo: repo.name,
          path: ANSWERS_FILE,
          ref: repo.default_branch,
          mediaType: { format: 'raw' },
          request: { signal },
        }),
      // 404: no such file, or nothing pushed yet.
      [404],
    );
  } catch (error) {
    throw new ForwardedError(`Failed to read ${label(repo)}`, error);
  }
}
