import {
  coreServices,
  createBackendFeatureLoader,
  createBackendModule,
  type HttpRouterService,
} from '@backstage/backend-plugin-api';
import {
  createDatabaseUnavailableHandler,
  readDatabaseEndpoints,
} from './databaseUnavailable';

/** The installed plugins that keep their state in the database (packages/backend/src/index.ts). */
export const DATABASE_PLUGINS = [
  'app',
  'auth',
  'catalog',
  'scaffolder',
  'search',
] as const;

/**
 * For one plugin: its routes answer 503 `ServiceUnavailableError` naming its database when the
 * database is unreachable, instead of a 500 carrying the driver's error.
 *
 * Each plugin's router ends in Backstage's own error handler, so the mapping must sit inside the
 * plugin's router, after its routes: a module initialises before its plugin, hence the startup
 * hook, which runs once the plugin has registered its routes.
 */
export function databaseUnavailableModule(pluginId: string) {
  return createBackendModule({
    pluginId,
    moduleId: 'paver-database-unavailable',
    register(reg) {
      reg.registerInit({
        deps: {
          config: coreServices.rootConfig,
          http: coreServices.httpRouter,
          lifecycle: coreServices.lifecycle,
          logger: coreServices.logger,
        },
        async init({ config, http, lifecycle, logger }) {
          const handler = createDatabaseUnavailableHandler({
            pluginId,
            endpoints: readDatabaseEndpoints(config),
            onUnavailable: (reason, error, req) =>
              logger.warn(
                `${req.method} ${
                  req.originalUrl ?? req.url
                }: database unavailable (${reason})`,
                toLoggable(error),
              ),
          });
          // Express picks error handlers by their four parameters; HttpRouterService.use is typed
          // for request handlers only.
          lifecycle.addStartupHook(() =>
            http.use(
              handler as unknown as Parameters<HttpRouterService['use']>[0],
            ),
          );
        },
      });
    },
  });
}

function toLoggable(error: unknown): Error | undefined {
  return error instanceof Error ? error : undefined;
}

/** {@link databaseUnavailableModule} for each of {@link DATABASE_PLUGINS}; an absent plugin's module is ignored. */
export const paverDatabaseUnavailable = createBackendFeatureLoader({
  *loader() {
    for (const pluginId of DATABASE_PLUGINS)
      yield databaseUnavailableModule(pluginId);
  },
});
