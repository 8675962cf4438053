import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { createGithubPublishProvider } from '../actions/publish/github';
import { createPublishAction } from '../actions/publish/publish';
import { createCatalogPrioritizer } from '../actions/register/catalogPrioritizer';
import { createRegisterAction } from '../actions/register/register';
import { createRenderAction } from '../actions/render/render';
import { AnswerChecks } from '../catalog/answerChecks';
import { readPaverConfig } from '../config';
import { paverGithubServiceRef } from '../github/githubClientService';
import { LocalRepositories } from '../local/localRepositories';
import { installRepoContents } from '../local/repoContents';
import { readPackagesConfig } from '../packages';
import { createPlatformSettings } from '../platformSettings';
import { createSearchIndexRefresher } from '../search/searchIndexRefresher';
import { warnAboutSettings } from './warnings';

/** Paver's scaffolder actions: paver:render, paver:repo:publish, paver:catalog:register. */
export const paverActionsModule = createBackendModule({
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
        catalog: catalogServiceRef,
        github: paverGithubServiceRef,
        scaffolder: scaffolderActionsExtensionPoint,
      },
      async init(deps) {
        const { config, logger, auth, discovery, catalog } = deps;
        const settings = readPaverConfig(config);
        const github = settings.publish.github;
        const githubClient = deps.github.client;
        const serviceCredentials = () => auth.getOwnServiceCredentials();
        const repos = new LocalRepositories(settings.publish.localDataDir);
        const scaffolderBaseUrl = () =>
          discovery.getExternalBaseUrl('scaffolder');
        if (settings.publish.provider === 'local') {
          installRepoContents(deps.httpRouter, repos);
        }
        deps.scaffolder.addActions(
          createRenderAction({
            templatesDir: settings.templatesDir,
            checks: new AnswerChecks(catalog, serviceCredentials),
            platform: createPlatformSettings({
              packages: readPackagesConfig(config),
              links: settings.links,
              githubOrg: github?.owner ?? null,
              scaffolderBaseUrl,
            }),
          }),
          createPublishAction({
            defaultProvider: settings.publish.provider,
            local: {
              repos,
              scaffolderBaseUrl,
            },
            // The plugin's one client (githubClientService.ts), shared with the reconciler.
            github:
              github && githubClient
                ? createGithubPublishProvider(github, githubClient)
                : undefined,
            testing: settings.testing,
          }),
          createRegisterAction({
            catalog,
            serviceCredentials,
            prioritize: createCatalogPrioritizer({ discovery, auth }),
            refreshSearch: createSearchIndexRefresher({
              discovery,
              auth,
              logger,
            }),
          }),
        );
        warnAboutSettings(settings, logger);
      },
    });
  },
});
