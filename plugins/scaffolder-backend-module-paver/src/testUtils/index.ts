/**
 * What Paver's end-to-end suites (`packages/e2e`) read of this module to check its effects, exported
 * as `@paver/plugin-scaffolder-backend-module-paver/testUtils` the way Backstage's own plugins
 * export theirs (`@backstage/plugin-catalog-node/testUtils`). Not for production use.
 */
export { git } from '../git';
export { LocalRepositories } from '../local/localRepositories';
export { taskMarker } from '../github/marker';
export type { ReconcileReport } from '../reconcile/reconcile';
export { bareRepoFacts } from './bareRepoFacts';
export { serveRegistry, type LocalRegistry } from './localRegistry';
