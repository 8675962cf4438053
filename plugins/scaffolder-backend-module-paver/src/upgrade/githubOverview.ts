import path from 'node:path';
import semver from 'semver';
import {
  ANSWERS_FILE,
  listTemplates,
  parseServiceRecord,
  serviceDrift,
  type TemplateReleases,
} from '@paver/golden-path';
import {
  upgradeBranch,
  type FleetService,
  type GoldenPathSummary,
} from '@paver/plugin-paver-common';
import type { GithubClient, ProgressLogger } from '../github';
import { git } from '../git';
import { cloneWithToken } from '../github/clone';
import { openUpgrades } from './githubPullRequests';
import { rawTextUnlessAbsent } from './githubRawText';
import { markedRepos, readAnswers, type ListedRepo } from './githubServices';
import { inWorkFolder } from './upgradeCheckout';

/** What the overview knows of a repository at one commit of its default branch. */
interface Known {
  /** The default branch's tip this is true of. */
  sha: string;
  /** Its answers file's template and version; `none` without one; `error` when unreadable. */
  record:
    | { kind: 'service'; template: string; version: string }
    | { kind: 'none' }
    | { kind: 'error'; error: string };
  /** The files its team changed, once a clone computed them at `sha`. */
  drifted?: string[];
}

/**
 * What the overview keeps between page loads, per repository (`owner/name`): keyed by the
 * default branch's tip, so an unchanged service is neither read nor cloned again.
 */
export type GithubOverviewCache = Map<string, Known>;

export interface GithubOverviewRequest {
  owner: string;
  templatesDir: string;
  cache: GithubOverviewCache;
  /** Clone services whose drift is not cached (default true); false marks it not computed. */
  drift?: boolean;
  logger?: ProgressLogger;
  signal?: AbortSignal;
}

const quiet: ProgressLogger = { info: () => {}, warn: () => {} };

/**
 * The Golden paths page's data on GitHub: per template its releases and every service of the
 * organisation made from it (repositories with the `paver-task-` marker whose
 * `.paver/answers.yaml` records it), with its version and releases behind (from the answers file),
 * its open upgrade pull requests and the template files its team changed.
 *
 * Requests, one after the other through the shared client: a page of `GET /orgs/{org}/repos` per
 * 100 repositories; per marked repository the default branch's tip
 * (`GET …/commits/{branch}`, sha media type); per service one `GET …/pulls?state=open` (filtered
 * by the `paver/upgrade-` prefix, whatever the number of releases). Only for a repository whose
 * tip is not in `cache`: its answers file (`GET …/contents`) and, for drift, a shallow clone of
 * the default branch compared with what its recorded release renders (`serviceDrift`). So a page
 * load after the first clones nothing for an unchanged service. A clone that fails marks that
 * service's drift as not computed, and is tried again on the next load.
 */
export async function githubOverview(
  client: GithubClient,
  releases: TemplateReleases,
  request: GithubOverviewRequest,
): Promise<GoldenPathSummary[]> {
  const { owner, signal } = request;
  const templates = listTemplates(request.templatesDir);
  const versions = new Map<string, string[]>();
  for (const t of templates) {
    versions.set(t.name, await releases.versions(t.name).catch(() => []));
  }
  const services = new Map<string, FleetService[]>(
    templates.map(t => [t.name, []]),
  );
  for await (const repo of markedRepos(client, owner, signal)) {
    const known = await knownOf(client, request, repo);
    if (!known || known.record.kind === 'none') continue;
    if (known.record.kind === 'error') {
      // Whose it is cannot be read: it shows under every golden path, where someone sees it.
      for (const list of services.values())
        list.push({ name: repo.name, error: known.record.error });
      continue;
    }
    const { template, version } = known.record;
    const list = services.get(template);
    if (!list) continue;
    const all = versions.get(template) ?? [];
    const upgrades = await openUpgrades(
      client,
      { owner, repo: repo.name, signal },
      upgradeBranch(template, ''),
    );
    const drift = await driftOf(client, releases, request, repo, known);
    list.push({
      name: repo.name,
      template,
      version,
      latest: all.at(-1) ?? version,
      behind: all.filter(v => semver.gt(v, version)).length,
      ...drift,
      upgrades: upgrades.map(u => u.branch),
      upgradeUrls: Object.fromEntries(upgrades.map(u => [u.branch, u.url])),
    });
  }
  return templates.map(t => ({
    name: t.name,
    version: t.version,
    releases: versions.get(t.name) ?? [],
    services: (services.get(t.name) ?? []).sort((a, b) =>
      a.name.localeCompare(b.name),
    ),
  }));
}

/** The default branch's tip: `GET …/commits/{branch}` as `application/vnd.github.sha`. */
async function headSha(
  client: GithubClient,
  owner: string,
  repo: ListedRepo,
  signal?: AbortSignal,
): Promise<string | undefined> {
  const sha = await rawTextUnlessAbsent(
    () =>
      client.octokit.rest.repos.getCommit({
        owner,
        repo: repo.name,
        ref: repo.default_branch ?? 'main',
        mediaType: { format: 'sha' },
        request: { signal },
      }),
    // 409: an empty repository; 404/422: no such branch. Nothing pushed yet: no service.
    [409, 404, 422],
  );
  return sha?.trim();
}

/** What is known of `repo` at its current tip: from the cache, else its answers file. */
async function knownOf(
  client: GithubClient,
  request: GithubOverviewRequest,
  repo: ListedRepo,
): Promise<Known | undefined> {
  const { owner, signal, cache } = request;
  const sha = await headSha(client, owner, repo, signal);
  if (!sha) return undefined;
  const key = `${owner}/${repo.name}`;
  const cached = cache.get(key);
  if (cached?.sha === sha) return cached;
  let record: Known['record'];
  try {
    const text = await readAnswers(client, owner, repo, signal);
    if (text === undefined) record = { kind: 'none' };
    else {
      const parsed = parseServiceRecord(text, `${repo.name}: ${ANSWERS_FILE}`);
      const { template, version } = parsed;
      record = { kind: 'service', template, version };
    }
  } catch (error) {
    signal?.throwIfAborted();
    record = { kind: 'error', error: (error as Error).message };
  }
  const known: Known = { sha, record };
  cache.set(key, known);
  return known;
}

/** The drifted files at the known tip: cached, or from a shallow clone when drift is asked for. */
async function driftOf(
  client: GithubClient,
  releases: TemplateReleases,
  request: GithubOverviewRequest,
  repo: ListedRepo,
  known: Known,
): Promise<{ drifted: string[]; driftNotComputed?: string }> {
  if (known.drifted) return { drifted: known.drifted };
  if (request.drift === false) {
    return { drifted: [], driftNotComputed: 'not asked for' };
  }
  const { signal } = request;
  const cloneUrl = repo.clone_url;
  if (!cloneUrl) {
    return { drifted: [], driftNotComputed: 'no clone URL listed' };
  }
  try {
    const drifted = await inWorkFolder(async work => {
      const dir = path.join(work, repo.name);
      // git does not pass the pacer; it waits out a rate-limit pause all the same.
      await client.pacer.acquire('read', signal);
      await cloneWithToken({
        cloneUrl,
        branch: repo.default_branch ?? 'main',
        dir,
        tokens: client.tokens,
        logger: request.logger ?? quiet,
        signal,
      });
      const cloned = await git(['-C', dir, 'rev-parse', 'HEAD']);
      return {
        files: (await serviceDrift(dir, releases)).drifted,
        cloned: cloned.trim(),
      };
    });
    // Kept only for the tip it is true of: a push between the tip's read and the clone is not.
    if (drifted.cloned === known.sha) known.drifted = drifted.files;
    return { drifted: drifted.files };
  } catch (error) {
    signal?.throwIfAborted();
    return { drifted: [], driftNotComputed: (error as Error).message };
  }
}
