import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import semver from 'semver';
import {
  readServiceRecord,
  releaseTag,
  upgradeService,
  type LoadedTemplate,
  type TemplateReleases,
  type UpgradeResult,
} from '@paver/golden-path';
import {
  upgradeBranch,
  type FleetServiceState,
} from '@paver/plugin-paver-common';
import { git, type GitOptions } from '../git';
import { changelogBetween } from './changelog';

/** What upgrading one checked-out service came to. */
export type CheckoutUpgrade =
  | { kind: 'up-to-date'; version: string }
  | {
      kind: 'committed';
      branch: string;
      result: UpgradeResult;
      /** The commit's message: the changelog entries and the conflicts, a pull request's body. */
      message: string;
    };

/**
 * The per-service core of a fleet upgrade, the same for every remote: in `clone` (a fresh clone
 * of the service's main branch) it reads `.paver/answers.yaml`; unless the service is at `target`
 * already (or newer), merges its recorded release into `target` with the recorded answers (the
 * three-way `upgradeService`), and commits the result, conflicts marked, as one commit on
 * `paver/upgrade-<template>-<version>` whose message lists the conflicts and the changelog
 * entries. Pushing it and opening the pull request are the caller's.
 */
export async function upgradeCheckout(
  clone: string,
  releases: TemplateReleases,
  target: LoadedTemplate,
  options: { author?: GitOptions['author'] } = {},
): Promise<CheckoutUpgrade> {
  const record = await readServiceRecord(clone);
  if (!semver.gt(target.version, record.version)) {
    return { kind: 'up-to-date', version: record.version };
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
  const branch = upgradeBranch(target.name, target.version);
  const inClone = { cwd: clone, author: options.author };
  await git(['checkout', '--quiet', '-b', branch], inClone);
  await git(['add', '--all'], inClone);
  await git(['commit', '--quiet', '--no-verify', '-m', message], inClone);
  return { kind: 'committed', branch, result, message };
}

/** The fleet state of a service whose upgrade commit is on its remote. */
export function openedState(
  service: string,
  upgrade: Extract<CheckoutUpgrade, { kind: 'committed' }>,
): Extract<FleetServiceState, { state: 'opened' }> {
  return {
    service,
    state: 'opened',
    branch: upgrade.branch,
    files: upgrade.result.outcomes.length,
    conflicts: upgrade.result.conflicts.map(c => c.path),
  };
}

/** Runs `work` in a fresh temporary folder, removed afterwards whatever happens. */
export async function inWorkFolder<T>(
  work: (dir: string) => Promise<T>,
): Promise<T> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'paver-fleet-'));
  try {
    return await work(dir);
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
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
