import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { findProductionSafetyProblems } from './productionSafety';

/** Thrown when a production config enables something that must never run in production. */
export class UnsafeProductionConfigError extends Error {
  readonly name = 'UnsafeProductionConfigError';
  constructor(readonly problems: string[]) {
    super(
      `Refusing to start: this is a production config (paver.environment: production), but\n${problems
        .map(p => `  - ${p}`)
        .join('\n')}`,
    );
  }
}

/**
 * A plugin of its own so that its failure aborts the whole backend start-up
 * (Backstage's default onPluginBootFailure is "abort").
 */
export const paverProductionGuard = createBackendPlugin({
  pluginId: 'paver-guard',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.rootLogger,
      },
      async init({ config, logger }) {
        const problems = findProductionSafetyProblems(config);
        if (problems.length > 0) {
          const error = new UnsafeProductionConfigError(problems);
          logger.error(error.message);
          throw error;
        }
      },
    });
  },
});
