import { coreServices, createBackendModule } from '@backstage/backend-plugin-api';
import { createPrioritizeRouter } from './router';

/**
 * Paver's catalog module: `POST /api/catalog/paver/prioritize` puts named entities at the front
 * of the processing queue, so a service created with Paver is processed ahead of a backlog.
 * A catalog module, so it shares the catalog plugin's own database and router.
 */
export const catalogModulePaver = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'paver',
  register({ registerInit }) {
    registerInit({
      deps: {
        database: coreServices.database,
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        logger: coreServices.logger,
      },
      async init({ database, httpRouter, httpAuth, logger }) {
        httpRouter.use(createPrioritizeRouter({ httpAuth, logger, database: () => database.getClient() }));
      },
    });
  },
});
