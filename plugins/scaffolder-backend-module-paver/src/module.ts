import { createBackendFeatureLoader } from '@backstage/backend-plugin-api';
import { paverActionsModule } from './modules/actionsModule';
import { paverPackageRegistryModule } from './modules/packageRegistryModule';
import { paverReconcilerModule } from './modules/reconcilerModule';
import { paverWorkspaceCleanupModule } from './modules/workspaceCleanupModule';

/**
 * Everything Paver adds to the scaffolder, one module per capability: the actions, the reconciler,
 * the workspace cleanup and the @paver package registry (embedded defaults only).
 * `backend.add(import('@paver/plugin-scaffolder-backend-module-paver'))` installs all four.
 */
export const scaffolderModulePaver = createBackendFeatureLoader({
  *loader() {
    yield paverActionsModule;
    yield paverReconcilerModule;
    yield paverWorkspaceCleanupModule;
    yield paverPackageRegistryModule;
  },
});
