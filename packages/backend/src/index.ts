/*
 * The Paver backend: Backstage's new backend system with catalog, scaffolder, auth, permission and
 * search. This file only wires; behaviour lives in the modules it adds.
 */
import { createBackend } from '@backstage/backend-defaults';
import { paverProductionGuard } from './modules/productionGuard';
import { paverPermissionPolicy } from './modules/permissionPolicy';
import { paverDatabaseUnavailable } from './modules/databaseUnavailableModule';

const backend = createBackend();

// Serves the built frontend (packages/app/dist) in production and in the browser tests.
backend.add(import('@backstage/plugin-app-backend'));

// Refuses to start a production config with guest sign-in or an allow-all policy.
backend.add(paverProductionGuard);

// While PostgreSQL is unreachable, the routes of database-backed plugins answer 503, not 500.
backend.add(paverDatabaseUnavailable);

backend.add(import('@backstage/plugin-auth-backend'));
backend.add(import('@backstage/plugin-auth-backend-module-guest-provider'));
backend.add(import('@backstage/plugin-auth-backend-module-github-provider'));

backend.add(import('@backstage/plugin-catalog-backend'));
backend.add(
  import('@backstage/plugin-catalog-backend-module-scaffolder-entity-model'),
);
backend.add(import('@backstage/plugin-catalog-backend-module-logs'));
backend.add(import('@paver/plugin-catalog-backend-module-paver'));

backend.add(import('@backstage/plugin-scaffolder-backend'));
backend.add(import('@backstage/plugin-scaffolder-backend-module-github'));
backend.add(import('@paver/plugin-scaffolder-backend-module-paver'));
// Stores a task's workspace in the database after each step and checkpoint, so a task resumed on
// another replica gets the rendered files back; used when scaffolder.taskRecovery.workspaceProvider
// is "database" (app-config.production.yaml).
backend.add(
  import('@backstage/plugin-scaffolder-backend-module-workspace-database'),
);

backend.add(import('@backstage/plugin-permission-backend'));
backend.add(paverPermissionPolicy);

backend.add(import('@backstage/plugin-search-backend'));
// Uses PostgreSQL full-text search when the database is PostgreSQL, Lunr in memory otherwise.
backend.add(import('@backstage/plugin-search-backend-module-pg'));
backend.add(import('@backstage/plugin-search-backend-module-catalog'));

// Live updates in the frontend (user settings storage, task pages) ride on signals.
backend.add(import('@backstage/plugin-signals-backend'));

// A plugin that fails to boot (the production guard, a bad database URL) must stop the process
// with a non-zero code rather than leave a half-started backend behind.
backend.start().catch(error => {
  console.error(`Backend failed to start: ${error?.stack ?? error}`);
  process.exit(1);
});
