import { createBackendFeatureLoader } from '@backstage/backend-plugin-api';
import { paverActionsModule } from './modules/actionsModule';
import { paverGoldenPathsModule } from './modules/goldenPathsModule';
import { paverPackageRegistryModule } from './modules/packageRegistryModule';
import { paverReconcilerModule } from './modules/reconcilerModule';
import { paverWorkspaceCleanupModule } from './modules/workspaceCleanupModule';

/**
 * Everything Paver adds to the scaffolder, one module per capability: the actions, the reconciler,
 * the workspace cleanup, the @paver package registry and the golden paths' fleet routes (these two
 * on embedded defaults only). `backend.add(import('@paver/plugin-scaffolder-backend-module-paver'))`
 * installs all five.
 */
export const scaffolderModulePaver = createBackendFeatureLoader({
  *loader() {
    yield paverActionsModule;
    yield paverReconcilerModule;
    yield paverWorkspaceCleanupModule;
    yield paverPackageRegistryModule;
    yield paverGoldenPathsModule;
  },
});
