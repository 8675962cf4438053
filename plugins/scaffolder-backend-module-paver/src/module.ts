import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { createPublishAction } from './actions/publish/publish';
import { createCatalogPrioritizer } from './actions/register/prioritize';
import { createRegisterAction } from './actions/register/register';
import { createRenderAction } from './actions/render/render';
import { AnswerChecks } from './catalog/answerChecks';
import { readPaverConfig } from './config';
import {
  createGithubPublisher,
  githubClientFromConfig,
} from './githubPublisher';
import { LocalRepositories } from './local/localRepositories';
import {
  REPO_CONTENTS_ROUTE,
  createRepoContentsHandler,
} from './local/repoContents';
import { installReconciler } from './reconcile/install';
import { installWorkspaceCleanup } from './workspaces/install';

/** Paver's scaffolder actions: paver:render, paver:repo:publish, paver:catalog:register. */
export const scaffolderModulePaver = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'paver',
  register({ registerInit }) {
    registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        auth: coreServices.auth,
        discovery: coreServices.discovery,
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        userInfo: coreServices.userInfo,
        scheduler: coreServices.scheduler,
        database: coreServices.database,
        catalog: catalogServiceRef,
        scaffolder: scaffolderActionsExtensionPoint,
      },
      async init({
        config,
        logger,
        auth,
        discovery,
        httpRouter,
        httpAuth,
        userInfo,
        scheduler,
        database,
        catalog,
        scaffolder,
      }) {
        const settings = readPaverConfig(config);
        const serviceCredentials = () => auth.getOwnServiceCredentials();
        const repos = new LocalRepositories(settings.publish.localDataDir);

        // The catalog reads local repositories over HTTP (see repoContents.ts). Unauthenticated
        // because the catalog's URL reader sends no token; only the local provider mounts it.
        if (settings.publish.provider === 'local') {
          httpRouter.use(createRepoContentsHandler(repos));
          httpRouter.addAuthPolicy({
            path: REPO_CONTENTS_ROUTE,
            allow: 'unauthenticated',
          });
        }

        // Built once at start-up, only when GitHub publishing is configured: one client, so the
        // publisher and the reconciler take from one budget. (A lazy import() here saved ~2 MB
        // but fails under the backend's CommonJS transform.)
        const githubClient = settings.publish.github
          ? await githubClientFromConfig(config, settings.publish.github.host, {
              database,
              logger,
            })
          : undefined;
        const github = await createGithubPublisher(config, settings, {
          client: githubClient,
        });

        scaffolder.addActions(
          createRenderAction({
            templatesDir: settings.templatesDir,
            checks: new AnswerChecks(catalog, serviceCredentials),
          }),
          createPublishAction({
            defaultProvider: settings.publish.provider,
            local: {
              repos,
              scaffolderBaseUrl: () =>
                discovery.getExternalBaseUrl('scaffolder'),
            },
            github,
            testing: settings.testing,
          }),
          // Prioritizes the new location and entity in the catalog's processing queue through
          // @paver/plugin-catalog-backend-module-paver; falls back to refreshEntity without it.
          createRegisterAction({
            catalog,
            serviceCredentials,
            prioritize: createCatalogPrioritizer({ discovery, auth }),
          }),
        );
        // Registers marked repositories the catalog lacks: scheduled (cluster-wide) and POST /paver/reconcile.
        await installReconciler({
          githubClient,
          settings,
          repos,
          catalog,
          auth,
          discovery,
          logger,
          scheduler,
          httpRouter,
          httpAuth,
          userInfo,
        });
        // Deletes stored workspaces of failed/cancelled tasks (the runner deletes only completed ones): scheduled, cluster-wide.
        await installWorkspaceCleanup({ config, database, scheduler, logger });
        if (
          settings.publish.provider === 'github' &&
          !settings.publish.github
        ) {
          logger.warn(
            'paver.publish.provider is github but paver.publish.github.owner is not set: publishing will fail',
          );
        }
        if (settings.testing.pauseAfterRepoCreateMs > 0) {
          logger.warn(
            `paver.testing.pauseAfterRepoCreateMs is set: publishing pauses after creating each repository (tests only)`,
          );
        }
        logger.info(
          `Paver actions ready: templates in ${settings.templatesDir}, publishing to ${settings.publish.provider}`,
        );
      },
    });
  },
});
