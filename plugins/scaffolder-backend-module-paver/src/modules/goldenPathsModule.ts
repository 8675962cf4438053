import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { templateReleasesFromConfig } from '@paver/golden-path';
import { readPaverConfig } from '../config';
import { paverGithubServiceRef } from '../github/githubClientService';
import { LocalRepositories } from '../local/localRepositories';
import { GoldenPathFleet } from '../upgrade/goldenPathFleet';
import { createGoldenPathsRouter } from '../upgrade/router';

/**
 * The Golden paths page's routes: the fleet's template versions and drift, fleet upgrade pull
 * requests, merging and closing them. On embedded defaults, all of it over the local remote;
 * publishing to GitHub, on GitHub through the plugin's one client (githubClientService.ts, the
 * budget the publisher and the reconciler take from).
 */
export const paverGoldenPathsModule = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'paver-golden-paths',
  register({ registerInit }) {
    registerInit({
      deps: {
        config: coreServices.rootConfig,
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        userInfo: coreServices.userInfo,
        github: paverGithubServiceRef,
      },
      async init({ config, httpRouter, httpAuth, userInfo, github }) {
        const settings = readPaverConfig(config);
        const { provider, github: onGithub } = settings.publish;
        const remote =
          provider === 'github' && onGithub && github.client
            ? { client: github.client, owner: onGithub.owner }
            : undefined;
        // GitHub without a client (no owner configured) has no fleet to upgrade.
        if (provider !== 'local' && !remote) return;
        const repos = new LocalRepositories(settings.publish.localDataDir);
        const fleet = new GoldenPathFleet(
          repos,
          settings.templatesDir,
          templateReleasesFromConfig(config, 'scaffolder'),
          remote,
        );
        httpRouter.use(createGoldenPathsRouter({ httpAuth, userInfo, fleet }));
      },
    });
  },
});
