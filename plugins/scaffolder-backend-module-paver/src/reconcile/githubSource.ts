import { isError } from '@backstage/errors';
import type { GithubClient } from '../github';
import type { MarkedRepository, RepositorySource } from './reconcile';

/** Prefix of the marker topic (src/github/marker.ts: `paver-task-<task id, or its hash>`). */
const MARKER_TOPIC_PREFIX = 'paver-task-';
/** The tag put in the description at creation (marker.ts), before topics are set. */
const MARKER_TAG = /\[paver:([^\]\s]+)\]/;
/** A task id too long for a topic is replaced by the first 32 hex digits of its SHA-256. */
const HASHED_ID = /^[0-9a-f]{32}$/;
/** The branch paver:repo:publish pushes and whose blob URL it outputs. */
const BRANCH = 'main';
const CATALOG_INFO = 'catalog-info.yaml';

/** What a listed repository must carry for the reconciler (GitHub's minimal-repository fields). */
interface ListedRepo {
  name: string;
  owner: { login: string };
  html_url: string;
  description: string | null;
  topics?: string[];
}

/** The task a repository's marker names, or undefined when it carries no Paver marker. */
export function markerOf(repo: {
  topics?: string[];
  description?: string | null;
}): { taskId?: string } | undefined {
  const tag = MARKER_TAG.exec(repo.description ?? '')?.[1];
  const topic = (repo.topics ?? []).find(
    t =>
      t.startsWith(MARKER_TOPIC_PREFIX) &&
      t.length > MARKER_TOPIC_PREFIX.length,
  );
  if (tag) return { taskId: tag };
  if (!topic) return undefined;
  const suffix = topic.slice(MARKER_TOPIC_PREFIX.length);
  return HASHED_ID.test(suffix) ? {} : { taskId: suffix };
}

/** The catalog-info URL paver:repo:publish outputs for a GitHub repository (actions/publish/github.ts). */
export function githubCatalogInfoUrl(htmlUrl: string): string {
  return `${htmlUrl}/blob/${BRANCH}/${CATALOG_INFO}`;
}

export interface GithubSourceOptions {
  client: GithubClient;
  /** `paver.publish.github.owner`: an organisation, or the token's own user. */
  owner: string;
  /** Repositories per page (GitHub allows up to 100). @default 100 */
  perPage?: number;
}

/**
 * The GitHub provider's repositories: every repository of the owner (an organisation, or the
 * token's user) that carries a Paver marker topic or description tag, listed page by page. Only
 * GET requests, through the module's client, so every one waits on the shared pacer's read path
 * (held back while GitHub has announced a rate limit).
 */
export function githubRepositorySource(
  options: GithubSourceOptions,
): RepositorySource {
  const { octokit } = options.client;
  const perPage = options.perPage ?? 100;
  const owner = options.owner;

  async function* pages(signal?: AbortSignal): AsyncIterable<ListedRepo[]> {
    const request = { signal };
    const { data: account } = await octokit.rest.users.getByUsername({
      username: owner,
      request,
    });
    if (account.type === 'Organization') {
      const params = {
        org: owner,
        type: 'all' as const,
        per_page: perPage,
        request,
      };
      for await (const page of octokit.paginate.iterator(
        octokit.rest.repos.listForOrg,
        params,
      ))
        yield page.data;
    } else {
      // A user's private repositories are listed only for the token's own user, the only user
      // the publisher creates repositories for.
      const params = { affiliation: 'owner', per_page: perPage, request };
      for await (const page of octokit.paginate.iterator(
        octokit.rest.repos.listForAuthenticatedUser,
        params,
      ))
        yield page.data;
    }
  }

  return {
    provider: 'github',
    async list(signal) {
      const marked: MarkedRepository[] = [];
      for await (const page of pages(signal)) {
        for (const repo of page) {
          if (repo.owner.login.toLowerCase() !== owner.toLowerCase()) continue;
          const marker = markerOf(repo);
          if (!marker) continue;
          marked.push({
            repo: `${repo.owner.login}/${repo.name}`,
            ...marker,
            catalogInfoUrl: githubCatalogInfoUrl(repo.html_url),
          });
        }
      }
      return marked;
    },
    async hasCatalogInfo({ repo }, signal) {
      const [repoOwner, name] = repo.split('/');
      try {
        await octokit.rest.repos.getContent({
          owner: repoOwner,
          repo: name,
          path: CATALOG_INFO,
          ref: BRANCH,
          request: { signal },
        });
        return true;
      } catch (error) {
        // 404: no such file on main (or no main branch yet: nothing was pushed).
        if (isError(error) && (error as { status?: number }).status === 404)
          return false;
        throw error;
      }
    },
  };
}
