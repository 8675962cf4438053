import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { installWorkspaceCleanup } from '../workspaces/install';

/** Deletes stored workspaces of failed/cancelled tasks (the runner deletes only completed ones). */
export const paverWorkspaceCleanupModule = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'paver-workspace-cleanup',
  register({ registerInit }) {
    registerInit({
      deps: {
        config: coreServices.rootConfig,
        database: coreServices.database,
        scheduler: coreServices.scheduler,
        logger: coreServices.logger,
      },
      init: deps => installWorkspaceCleanup(deps),
    });
  },
});
