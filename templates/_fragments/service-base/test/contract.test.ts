import { readFileSync } from 'node:fs';
import { checkContract } from '../src/platform/contract.js';
import { loadConfig } from '../src/platform/config.js';
import type { Db } from '../src/platform/db.js';
import { createLogger } from '../src/platform/log.js';
import { Metrics } from '../src/platform/metrics.js';
import { PLATFORM_PATHS } from '../src/platform/server.js';
import { createRoutes } from '../src/service.js';

// Building the route table must not touch the database; this stand-in says so if it does.
const refuse = async (): Promise<never> => {
  throw new Error('createRoutes queried the database while building routes; query inside handlers');
};
const noDatabase: Db = { query: refuse, transaction: refuse };

describe('the OpenAPI contract (npm run contract)', () => {
  it('documents every route the service serves and serves every documented operation', () => {
    const config = loadConfig({ DATABASE_URL: 'postgres://contract-check.invalid/none', LOG_LEVEL: 'silent' });
    // A variable, not a literal: a golden path's createRoutes may take only some of these deps.
    const deps = { db: noDatabase, config, logger: createLogger({ service: config.serviceName, level: 'silent' }), metrics: new Metrics() };
    const routes = createRoutes(deps);
    expect(routes.length).toBeGreaterThan(0);
    checkContract(readFileSync(new URL('../openapi.yaml', import.meta.url), 'utf8'), routes, PLATFORM_PATHS);
  });
});
