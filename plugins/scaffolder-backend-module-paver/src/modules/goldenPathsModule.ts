import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { readPaverConfig } from '../config';
import { LocalRepositories } from '../local/localRepositories';
import { GoldenPathFleet } from '../upgrade/goldenPathFleet';
import { createGoldenPathsRouter } from '../upgrade/router';

/**
 * The Golden paths page's routes: the fleet's template versions and drift, and fleet upgrade pull
 * requests. Embedded defaults (the local remote) only, for now: through GitHub they come later.
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
      },
      async init({ config, httpRouter, httpAuth, userInfo }) {
        const settings = readPaverConfig(config);
        if (settings.publish.provider !== 'local') return;
        const repos = new LocalRepositories(settings.publish.localDataDir);
        const fleet = new GoldenPathFleet(repos, settings.templatesDir);
        httpRouter.use(createGoldenPathsRouter({ httpAuth, userInfo, fleet }));
      },
    });
  },
});
