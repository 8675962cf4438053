import path from 'node:path';
import {
  releaseTag,
  type LoadedTemplate,
  type TemplateReleases,
} from '@paver/golden-path';
import {
  upgradeBranch,
  type FleetServiceState,
} from '@paver/plugin-paver-common';
import type { GithubClient, ProgressLogger } from '../github';
import { cloneWithToken } from '../github/clone';
import { GITHUB_AUTHOR } from '../github/ensureCommit';
import { pushWithBackoff } from '../github/push';
import { type FleetUpgradeRequest, upgradeEach } from './fleet';
import { discoverServices, type GithubServiceRepo } from './githubServices';
import {
  findOpenPull,
  openPull,
  type RepoOnGithub,
} from './githubPullRequests';
import { inWorkFolder, openedState, upgradeCheckout } from './upgradeCheckout';

/** A write the fleet made on GitHub: the upgrade branch pushed, or `POST …/pulls`. */
export type GithubWrite = 'push' | 'pull-request';

/** Where one service ended up, with its pull request's URL and the writes made for it. */
export type GithubFleetState = FleetServiceState & {
  /** The pull request opened, or found open (`opened`, `already-open`). */
  url?: string;
  /** In order; a rerun that finds the pull request open makes none. */
  writes: GithubWrite[];
};

/** What to upgrade on GitHub. */
export type GithubFleetRequest = Omit<FleetUpgradeRequest, 'onState'> & {
  /** The organisation the services' repositories are in (`paver.publish.github.owner`). */
  owner: string;
  /** The services' repository names; by default they are discovered (`discoverServices`). */
  services?: string[];
  onState?: (state: GithubFleetState) => void;
  logger?: ProgressLogger;
  signal?: AbortSignal;
};

interface Fleet {
  client: GithubClient;
  releases: TemplateReleases;
  target: LoadedTemplate;
  branch: string;
  /** Every pull request's: `Upgrade to <template>@<version>`. */
  title: string;
  owner: string;
  logger: ProgressLogger;
  signal?: AbortSignal;
}

interface Job {
  repo: GithubServiceRepo;
  writes: GithubWrite[];
}

const quiet: ProgressLogger = { info: () => {}, warn: () => {} };

/**
 * Opens an upgrade pull request on GitHub for every service of `template` in the organisation
 * `owner` (the repositories the scaffolder created whose `.paver/answers.yaml` records it; see
 * `discoverServices`), or for the named `services`. Per service: an open pull request from
 * `paver/upgrade-<template>-<version>` means `already-open` and no write at all; otherwise the
 * default branch is cloned over HTTPS, upgraded by the shared core (`upgradeCheckout`), the
 * branch pushed (an existing branch is reused, never pushed over) and the pull request opened
 * with the commit message (changelog entries, conflicts) as its body.
 *
 * Every request goes through the client, so writes take from the shared pacer's budget and a
 * `retry-after` holds everything back; git waits out such a pause too. Services go one after the
 * other, as GitHub asks of one client. One service failing (a refused pull request, a clone that
 * fails) is its own `failed` state; the others go on.
 */
export async function upgradeGithubFleet(
  client: GithubClient,
  releases: TemplateReleases,
  request: GithubFleetRequest,
): Promise<GithubFleetState[]> {
  const target = await releases.load(request.template, request.version);
  const fleet: Fleet = {
    client,
    releases,
    target,
    branch: upgradeBranch(target.name, target.version),
    title: `Upgrade to ${releaseTag(target.name, target.version)}`,
    owner: request.owner,
    logger: request.logger ?? quiet,
    signal: request.signal,
  };
  const repos = request.services
    ? request.services.map(name => ({ name }))
    : await discoverServices(client, fleet.owner, target.name, fleet.signal);
  return upgradeEach(
    repos.map((repo): Job => ({ repo, writes: [] })),
    job => upgradeOne(fleet, job),
    (job, error) => ({
      service: job.repo.name,
      state: 'failed',
      error: error.message,
      writes: job.writes,
    }),
    request.onState,
  );
}

async function upgradeOne(fleet: Fleet, job: Job): Promise<GithubFleetState> {
  const service = job.repo.name;
  const on: RepoOnGithub = {
    owner: fleet.owner,
    repo: service,
    signal: fleet.signal,
  };
  const open = await findOpenPull(fleet.client, on, fleet.branch);
  if (open) {
    const { branch } = fleet;
    return {
      service,
      state: 'already-open',
      branch,
      url: open.html_url,
      writes: job.writes,
    };
  }
  const where = await located(fleet, job.repo);
  return inWorkFolder(work =>
    upgradeInClone(fleet, job, on, { ...where, dir: path.join(work, service) }),
  );
}

/** Clone, upgrade and commit, push the branch, open the pull request. */
async function upgradeInClone(
  fleet: Fleet,
  job: Job,
  on: RepoOnGithub,
  clone: { cloneUrl: string; defaultBranch: string; dir: string },
): Promise<GithubFleetState> {
  const { client, signal } = fleet;
  const service = job.repo.name;
  const git = { tokens: client.tokens, logger: fleet.logger, signal };
  const { cloneUrl, defaultBranch, dir } = clone;
  // git does not pass the pacer; it waits out a rate-limit pause all the same.
  await client.pacer.acquire('read', signal);
  await cloneWithToken({ ...git, cloneUrl, branch: defaultBranch, dir });
  const upgrade = await upgradeCheckout(dir, fleet.releases, fleet.target, {
    author: GITHUB_AUTHOR,
  });
  if (upgrade.kind === 'up-to-date') {
    const { version } = upgrade;
    return { service, state: 'up-to-date', version, writes: job.writes };
  }
  await client.pacer.acquire('read', signal);
  // A branch an earlier run pushed (and opened no pull request for) is reused as it is.
  const pushed = await pushWithBackoff({
    ...git,
    sourceDir: dir,
    cloneUrl,
    branch: upgrade.branch,
    attempts: 1,
  });
  if (pushed === 'pushed') job.writes.push('push');
  const pull = await openPull(client, on, {
    title: fleet.title,
    body: upgrade.message,
    head: upgrade.branch,
    base: defaultBranch,
  });
  job.writes.push('pull-request');
  return {
    ...openedState(service, upgrade),
    url: pull.html_url,
    writes: job.writes,
  };
}

/** The clone URL and default branch, from the listing or else `GET /repos/{o}/{r}`. */
async function located(fleet: Fleet, repo: GithubServiceRepo) {
  if (repo.cloneUrl && repo.defaultBranch) {
    return { cloneUrl: repo.cloneUrl, defaultBranch: repo.defaultBranch };
  }
  const { data } = await fleet.client.octokit.rest.repos.get({
    owner: fleet.owner,
    repo: repo.name,
    request: { signal: fleet.signal },
  });
  return { cloneUrl: data.clone_url, defaultBranch: data.default_branch };
}
