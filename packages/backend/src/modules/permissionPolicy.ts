import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import { PaverPermissionPolicy } from './paverPolicy';
import { readPolicyName } from './productionSafety';

/** Installs Paver's permission policy (or allow-all, when configured for local experiments). */
export const paverPermissionPolicy = createBackendModule({
  pluginId: 'permission',
  moduleId: 'paver-policy',
  register(reg) {
    reg.registerInit({
      deps: { config: coreServices.rootConfig, policy: policyExtensionPoint },
      async init({ config, policy }) {
        policy.setPolicy(
          new PaverPermissionPolicy({
            allowAll: readPolicyName(config) === 'allow-all',
          }),
        );
      },
    });
  },
});
