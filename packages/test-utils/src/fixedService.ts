import {
  createServiceFactory,
  type ServiceRef,
} from '@backstage/backend-plugin-api';

/**
 * A plugin-scoped service factory that hands every plugin the same `value`: the scheduler,
 * database or logger a test gives the module it starts with `startTestBackend`.
 */
export const fixedService = <T>(
  service: ServiceRef<T, 'plugin', 'singleton'>,
  value: T,
) => createServiceFactory({ service, deps: {}, factory: () => value });
