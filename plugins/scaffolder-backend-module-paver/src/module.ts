import { createBackendFeatureLoader } from '@backstage/backend-plugin-api';
import { paverActionsModule } from './modules/actionsModule';
import { paverReconcilerModule } from './modules/reconcilerModule';
import { paverWorkspaceCleanupModule } from './modules/workspaceCleanupModule';

/**
 * Everything Paver adds to the scaffolder, one module per capability: the actions, the reconciler
 * and the workspace cleanup. `backend.add(import('@paver/plugin-scaffolder-backend-module-paver'))`
 * installs all three.
 */
export const scaffolderModulePaver = createBackendFeatureLoader({
  *loader() {
    yield paverActionsModule;
    yield paverReconcilerModule;
    yield paverWorkspaceCleanupModule;
  },
});
