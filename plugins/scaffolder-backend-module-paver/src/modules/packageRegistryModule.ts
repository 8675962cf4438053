import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import {
  PackageFolder,
  createPackageRegistryRouter,
  installPackageRegistry,
  readPackagesConfig,
} from '../packages';

/**
 * The npm registry of the @paver packages a generated service depends on, at
 * `<scaffolder>/paver/npm/`, on embedded defaults only: when `paver.packages.registry` names the
 * organisation's registry, generated services install from there and nothing is mounted.
 */
export const paverPackageRegistryModule = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'paver-packages',
  register({ registerInit }) {
    registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        httpRouter: coreServices.httpRouter,
        discovery: coreServices.discovery,
      },
      async init({ config, logger, httpRouter, discovery }) {
        const settings = readPackagesConfig(config);
        if (settings.registry) {
          logger.info(
            `generated services install @paver packages from ${settings.registry}`,
          );
          return;
        }
        const folder = new PackageFolder(settings.localDir, logger);
        installPackageRegistry(
          httpRouter,
          createPackageRegistryRouter({
            folder,
            externalBaseUrl: () => discovery.getExternalBaseUrl('scaffolder'),
          }),
        );
        // Not fatal: the folder is read on every request, so packing later is enough.
        if ((await folder.tarballs()).length === 0) {
          logger.warn(
            `no @paver packages in ${settings.localDir}; \`./paverw start\` packs them, or run \`yarn packages:pack\``,
          );
        }
      },
    });
  },
});
