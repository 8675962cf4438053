import {
  coreServices,
  createServiceFactory,
  createServiceRef,
} from '@backstage/backend-plugin-api';
import { readPaverConfig } from '../config';
import type { GithubClient } from './createGithubClient';
import { githubClientFromConfig } from './githubClientFromConfig';

/** The scaffolder plugin's one GitHub client; absent unless `paver.publish.github` is set. */
export interface PaverGithubService {
  readonly client?: GithubClient;
}

/**
 * One GitHub client per scaffolder plugin, shared by the publish action and the reconciler (two
 * modules): both must take from one budget and see each other's retry-after. A plugin-scoped
 * service is Backstage's way to share an instance between modules of one plugin.
 */
export const paverGithubServiceRef = createServiceRef<PaverGithubService>({
  id: 'paver.scaffolder.github',
  scope: 'plugin',
  defaultFactory: async service =>
    createServiceFactory({
      service,
      deps: {
        config: coreServices.rootConfig,
        database: coreServices.database,
        logger: coreServices.logger,
      },
      async factory({ config, database, logger }) {
        const github = readPaverConfig(config).publish.github;
        if (!github) return {};
        // Built at start-up, not lazily: a lazy import() saved ~2 MB but fails under the
        // backend's CommonJS transform.
        return {
          client: await githubClientFromConfig(config, github, {
            database,
            logger,
          }),
        };
      },
    }),
});
