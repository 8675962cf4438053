// Test helpers for a service built on the runtime: a real PostgreSQL per run, a service on a free
// port with a schema of its own, and a TCP proxy to cut the database. They need vitest.
import './globalSetup.js';

export { checkServiceContract } from './contract.js';
export { checkGuardedOperations } from './guarded.js';
export { setupPostgres } from './globalSetup.js';
export {
  startTestService,
  startTestWorker,
  type TestService,
  type TestServiceOptions,
  type TestWorker,
} from './harness.js';
export {
  requestedScopes,
  startTestIssuer,
  type TestIssuer,
  type TokenOptions,
} from './issuer.js';
export {
  freePort,
  PostgresMissingError,
  startPostgres,
  type ThrowawayPostgres,
} from './postgres.js';
export { startProxy, type CuttableProxy } from './tcpProxy.js';
