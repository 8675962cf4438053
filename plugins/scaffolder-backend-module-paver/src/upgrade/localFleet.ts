import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import semver from 'semver';
import {
  ANSWERS_FILE,
  parseServiceRecord,
  readServiceRecord,
  releaseTag,
  upgradeService,
  type TemplateReleases,
  type UpgradeResult,
} from '@paver/golden-path';
import {
  upgradeBranch,
  type FleetServiceState,
} from '@paver/plugin-paver-common';
import { git, gitOptional } from '../git';
import type { LocalRepositories } from '../local/localRepositories';
import { changelogBetween } from './changelog';

/** What to upgrade the fleet to. */
export interface FleetUpgradeRequest {
  template: string;
  version: string;
  /** Each service's state as soon as it is known, for a progress view. */
  onState?: (state: FleetServiceState) => void;
}

/**
 * Opens an upgrade "pull request" on embedded defaults for every service of the local remote made
 * from `template`: a branch `paver/upgrade-<template>-<version>` in its bare repository holding one
 * commit (the `paver upgrade` merge, conflicts marked) whose message lists the changelog entries
 * and the conflicts. Idempotent: a service whose branch exists already is reported, not redone.
 * One service failing never stops the others.
 */
export async function upgradeLocalFleet(
  repositories: LocalRepositories,
  releases: TemplateReleases,
  request: FleetUpgradeRequest,
): Promise<FleetServiceState[]> {
  const target = await releases.load(request.template, request.version);
  const states: FleetServiceState[] = [];
  for (const service of await servicesOf(repositories, request.template)) {
    const state = await upgradeOne(
      repositories,
      releases,
      target,
      service,
    ).catch(
      (error: Error): FleetServiceState => ({
        service,
        state: 'failed',
        error: error.message,
      }),
    );
    states.push(state);
    request.onState?.(state);
  }
  return states;
}

/** Names of the bare repositories whose main branch records `template`, sorted. */
export async function servicesOf(
  repositories: LocalRepositories,
  template: string,
) {
  const entries = await fs.readdir(repositories.gitRoot).catch(() => []);
  const names = entries
    .filter(e => e.endsWith('.git') && !e.startsWith('.'))
    .map(e => e.slice(0, -4));
  const ofTemplate = await Promise.all(
    names.map(async name => {
      const text = await gitOptional([
        '--git-dir',
        repositories.barePath(name),
        'show',
        `main:${ANSWERS_FILE}`,
      ]);
      if (!text) return false;
      try {
        return (
          parseServiceRecord(text, `${name}: ${ANSWERS_FILE}`).template ===
          template
        );
      } catch {
        return true; // a broken answers file is reported as that service's failure
      }
    }),
  );
  return names.filter((_, i) => ofTemplate[i]).sort();
}

async function upgradeOne(
  repositories: LocalRepositories,
  releases: TemplateReleases,
  target: Awaited<ReturnType<TemplateReleases['load']>>,
  service: string,
): Promise<FleetServiceState> {
  const bare = repositories.barePath(service);
  const branch = upgradeBranch(target.name, target.version);
  if (await repositories.hasBranch(service, branch)) {
    return { service, state: 'already-open', branch };
  }
  const work = await fs.mkdtemp(path.join(os.tmpdir(), 'paver-fleet-'));
  try {
    const clone = path.join(work, service);
    await git(['clone', '--quiet', '--branch', 'main', bare, clone]);
    const record = await readServiceRecord(clone);
    if (!semver.gt(target.version, record.version)) {
      return { service, state: 'up-to-date', version: record.version };
    }
    const base = await releases.load(record.template, record.version);
    const result = await upgradeService({
      repoDir: clone,
      record,
      base,
      target,
      answers: record.answers,
    });
    const message = await commitMessage(result, target.name, target.dir);
    await git(['-C', clone, 'checkout', '--quiet', '-b', branch]);
    await git(['-C', clone, 'add', '--all']);
    await git(['-C', clone, 'commit', '--quiet', '--no-verify', '-m', message]);
    await git([
      '-C',
      clone,
      'push',
      '--quiet',
      'origin',
      `${branch}:refs/heads/${branch}`,
    ]);
    return {
      service,
      state: 'opened',
      branch,
      files: result.outcomes.length,
      conflicts: result.conflicts.map(c => c.path),
    };
  } finally {
    await fs.rm(work, { recursive: true, force: true });
  }
}

async function commitMessage(
  result: UpgradeResult,
  template: string,
  templateDir: string,
) {
  const changes = await changelogBetween(
    templateDir,
    v =>
      semver.valid(v) !== null &&
      semver.gt(v, result.from) &&
      semver.lte(v, result.to),
  );
  const conflicts = result.conflicts.length
    ? `Conflicts to resolve before merging (marked inline):\n${result.conflicts
        .map(c => `- ${c.path}: ${c.reason}`)
        .join('\n')}`
    : 'No conflicts.';
  return `Upgrade to ${releaseTag(template, result.to)} (from ${
    result.from
  })\n\n${conflicts}\n\n${changes}\n`;
}
