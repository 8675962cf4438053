import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { installCatalogRepair } from './repair/install';
import { createPrioritizeRouter } from './router';

/**
 * Paver's catalog module: `POST /api/catalog/paver/prioritize` puts named entities at the front
 * of the processing queue, so a service created with Paver is processed ahead of a backlog; and a
 * scheduled repair re-queues entities the catalog will never stitch again after a database outage
 * cut it between two writes (src/repair/). A catalog module, so it shares the catalog plugin's own
 * database and router.
 */
export const catalogModulePaver = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'paver',
  register({ registerInit }) {
    registerInit({
      deps: {
        config: coreServices.rootConfig,
        database: coreServices.database,
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        logger: coreServices.logger,
        scheduler: coreServices.scheduler,
        lifecycle: coreServices.lifecycle,
      },
      async init({
        config,
        database,
        httpRouter,
        httpAuth,
        logger,
        scheduler,
        lifecycle,
      }) {
        httpRouter.use(
          createPrioritizeRouter({
            httpAuth,
            logger,
            database: () => database.getClient(),
          }),
        );
        installCatalogRepair({
          config,
          database,
          scheduler,
          logger,
          lifecycle,
        });
      },
    });
  },
});
