import path from 'node:path';
import type { Config } from '@backstage/config';
import { readHttpUrl } from '../config';
import { PACKAGE_REGISTRY_ROUTE } from './registryRouter';

/** Where generated services get their @paver packages (`paver.packages`, see config.schema.json). */
export interface PackagesConfig {
  /** The organisation's registry, ending with `/`; absent on embedded defaults. */
  registry?: string;
  /** Absolute folder of tarballs this backend serves when there is no `registry`. */
  localDir: string;
}

const REGISTRY_KEY = 'paver.packages.registry';

/**
 * Reads `paver.packages`. The folder resolves against `cwd` (the backend's working directory),
 * like `paver.publish.local.dataDir`, so the default lands beside it in `.paver-data/`.
 */
export function readPackagesConfig(
  config: Config,
  cwd = process.cwd(),
): PackagesConfig {
  // Absolute because a generated `.npmrc` is read far from this backend; ending with `/`, the
  // one spelling npm's own docs use, so a URL made from it needs no separator check.
  const registry = readHttpUrl(config, REGISTRY_KEY);
  return {
    registry:
      registry === undefined || registry.endsWith('/')
        ? registry
        : `${registry}/`,
    localDir: path.resolve(
      cwd,
      config.getOptionalString('paver.packages.local.dir') ??
        '../../.paver-data/packages',
    ),
  };
}

/** The registry a generated service's `.npmrc` names for `@paver:registry`. */
export async function npmRegistryUrl(
  settings: PackagesConfig,
  scaffolderExternalBaseUrl: () => Promise<string>,
): Promise<string> {
  return (
    settings.registry ??
    `${await scaffolderExternalBaseUrl()}${PACKAGE_REGISTRY_ROUTE}/`
  );
}
