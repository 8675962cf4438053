import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { readPaverConfig } from '../config';
import { paverGithubServiceRef } from '../github/githubClientService';
import { LocalRepositories } from '../local/localRepositories';
import { installReconciler } from '../reconcile/install';

/** Registers marked repositories the catalog lacks: scheduled (cluster-wide) and POST /paver/reconcile. */
export const paverReconcilerModule = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'paver-reconciler',
  register({ registerInit }) {
    registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        auth: coreServices.auth,
        discovery: coreServices.discovery,
        scheduler: coreServices.scheduler,
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        userInfo: coreServices.userInfo,
        catalog: catalogServiceRef,
        github: paverGithubServiceRef,
      },
      async init({ config, github, ...deps }) {
        const settings = readPaverConfig(config);
        await installReconciler({
          ...deps,
          settings,
          githubClient: github.client,
          repos: new LocalRepositories(settings.publish.localDataDir),
        });
      },
    });
  },
});
