import fs from 'node:fs/promises';
import path from 'node:path';
import {
  ANSWERS_FILE,
  type LoadedTemplate,
  type TemplateReleases,
} from '@paver/golden-path';
import {
  upgradeBranch,
  type FleetServiceState,
} from '@paver/plugin-paver-common';
import { git, gitOptional } from '../git';
import type { LocalRepositories } from '../local/localRepositories';
import {
  type FleetUpgradeRequest,
  recordsTemplate,
  upgradeEach,
} from './fleet';
import { inWorkFolder, openedState, upgradeCheckout } from './upgradeCheckout';

export type { FleetUpgradeRequest } from './fleet';

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
  return upgradeEach(
    await servicesOf(repositories, request.template),
    service => upgradeOne(repositories, releases, target, service),
    (service, error): FleetServiceState => ({
      service,
      state: 'failed',
      error: error.message,
    }),
    request.onState,
  );
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
      return text
        ? recordsTemplate(text, `${name}: ${ANSWERS_FILE}`, template)
        : false;
    }),
  );
  return names.filter((_, i) => ofTemplate[i]).sort();
}

async function upgradeOne(
  repositories: LocalRepositories,
  releases: TemplateReleases,
  target: LoadedTemplate,
  service: string,
): Promise<FleetServiceState> {
  const branch = upgradeBranch(target.name, target.version);
  if (await repositories.hasBranch(service, branch)) {
    return { service, state: 'already-open', branch };
  }
  return inWorkFolder(async work => {
    const clone = path.join(work, service);
    await git([
      'clone',
      '--quiet',
      '--branch',
      'main',
      repositories.barePath(service),
      clone,
    ]);
    const upgrade = await upgradeCheckout(clone, releases, target);
    if (upgrade.kind === 'up-to-date') {
      return { service, state: 'up-to-date', version: upgrade.version };
    }
    await git(['push', '--quiet', 'origin', `${branch}:refs/heads/${branch}`], {
      cwd: clone,
    });
    return openedState(service, upgrade);
  });
}
