import fs from 'node:fs/promises';
import semver from 'semver';
import type { PlatformSettings } from '../handlebars';
import { resolveSafeChildPath } from '../paths';
import { ANSWERS_FILE, renderToMemory } from '../render';
import type { TemplateReleases } from '../releases';
import { readServiceRecord } from './upgradeService';

/** Where a service stands against its golden path. */
export interface ServiceDrift {
  template: string;
  version: string;
  /** The newest release of its template. */
  latest: string;
  /** Releases newer than the service's. */
  behind: number;
  /** Files its recorded release renders that the repository changed or deleted, sorted. */
  drifted: string[];
}

/**
 * Compares a service repository with what its recorded release renders from its recorded
 * answers: how many releases it is behind, and which template files its team has changed (the
 * files an upgrade will have to merge rather than take).
 */
export async function serviceDrift(
  repoDir: string,
  releases: TemplateReleases,
  platform?: PlatformSettings,
): Promise<ServiceDrift> {
  const record = await readServiceRecord(repoDir);
  const [template, versions] = await Promise.all([
    releases.load(record.template, record.version),
    releases.versions(record.template),
  ]);
  const rendered = renderToMemory(template, record.answers, {
    platform: record.platform ?? platform,
  });
  rendered.delete(ANSWERS_FILE);
  const drifted: string[] = [];
  await Promise.all(
    [...rendered].map(async ([rel, content]) => {
      const ours = await fs
        .readFile(resolveSafeChildPath(repoDir, rel))
        .catch(() => undefined);
      if (!ours?.equals(content)) drifted.push(rel);
    }),
  );
  return {
    template: record.template,
    version: record.version,
    latest: versions.at(-1) ?? record.version,
    behind: versions.filter(v => semver.gt(v, record.version)).length,
    drifted: drifted.sort(),
  };
}
