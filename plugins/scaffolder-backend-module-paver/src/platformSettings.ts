import type { PlatformSettings } from '@paver/golden-path';
import type { PaverScaffolderConfig } from './config';
import { npmRegistryUrl, type PackagesConfig } from './packages';

/** What {@link createPlatformSettings} builds the settings from. */
export interface PlatformSettingsSources {
  packages: PackagesConfig;
  links: PaverScaffolderConfig['links'];
  /** `paver.publish.github.owner`: the organisation whose teams own new repositories. */
  githubOrg: string | null;
  /** The scaffolder's external base URL (its own registry lives below it). */
  scaffolderBaseUrl: () => Promise<string>;
}

/**
 * The organisation settings every render gets (`{{platform.*}}` in a template): the registry a
 * generated `.npmrc` names and the dashboard link pattern. Resolved per render, because the
 * backend's external URL comes from discovery.
 */
export function createPlatformSettings(
  sources: PlatformSettingsSources,
): () => Promise<PlatformSettings> {
  return async () => ({
    npmRegistry: await npmRegistryUrl(
      sources.packages,
      sources.scaffolderBaseUrl,
    ),
    dashboardUrlPattern: sources.links.dashboard,
    githubOrg: sources.githubOrg,
  });
}
