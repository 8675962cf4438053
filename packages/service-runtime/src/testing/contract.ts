import { loadRuntimeConfig } from '../config.js';
import type { Database } from '../db.js';
import { createLogger } from '../logger.js';
import { ServiceMetrics } from '../metrics.js';
import { readOpenApi } from '../openapi.js';
import {
  contractServer,
  openApiFile,
  type ServiceDefinition,
} from '../service.js';

// Building the handlers must not touch the database; this stand-in says so if it does.
const refuse = async (): Promise<never> => {
  throw new Error(
    'createHandlers queried the database while building handlers; query inside handlers',
  );
};
const noDatabase: Database = {
  schema: 'contract_check',
  query: refuse,
  transaction: refuse,
  ping: refuse,
  close: async () => {},
};

/**
 * The contract test of a service (`npm run contract`), without a database: openapi.yaml is valid
 * OpenAPI, each operation has a handler and each handler an operation, and every request and
 * response schema compiles into the validators the running service uses. Throws a ContractError
 * (or the schema compiler's error naming the route) otherwise.
 */
export async function checkServiceContract(
  definition: ServiceDefinition,
): Promise<void> {
  const config = loadRuntimeConfig(definition.name, {
    DATABASE_URL: 'postgres://contract-check.invalid/none',
    // Nothing is fetched: the key set is read on the first request, and none is sent.
    AUTH_JWKS_URL: 'http://contract-check.invalid/jwks.json',
    AUTH_ISSUER: 'contract-check',
    LOG_LEVEL: 'silent',
  });
  const logger = createLogger({ service: definition.name, level: 'silent' });
  const deps = {
    db: noDatabase,
    config,
    logger,
    metrics: new ServiceMetrics(),
  };
  const server = await contractServer(
    definition,
    readOpenApi(openApiFile(definition)),
    deps,
  );
  await server.close();
}
