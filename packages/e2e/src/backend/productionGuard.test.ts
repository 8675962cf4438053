import { startPostgres, type ThrowawayPostgres } from '@paver/test-utils';
import { spawnBackend, waitForReady } from './backendProcess';

/**
 * How production starts the backend: NODE_ENV=production (modules such as the database workspace
 * provider behave differently under it) and what the production config reads from the environment;
 * dummy credentials, a real database.
 */
function productionEnv(pg: ThrowawayPostgres): Record<string, string> {
  return {
    NODE_ENV: 'production',
    PAVER_BASE_URL: 'http://localhost:7007',
    BACKEND_SECRET: 'test-backend-secret-not-for-production',
    POSTGRES_HOST: pg.host,
    POSTGRES_PORT: String(pg.port),
    POSTGRES_USER: pg.user,
    POSTGRES_PASSWORD: pg.password,
    AUTH_GITHUB_CLIENT_ID: 'test-client-id',
    AUTH_GITHUB_CLIENT_SECRET: 'test-client-secret',
    GITHUB_TOKEN: 'test-token',
    PAVER_NPM_REGISTRY: 'http://127.0.0.1:9/npm/',
  };
}

/** What @backstage/plugin-scaffolder-backend-module-workspace-database logs when it stays off. */
const WORKSPACE_MODULE_OFF =
  'Database workspace provider is not supported in production and will not be enabled';

describe('the production guard', () => {
  let pg: ThrowawayPostgres;
  beforeAll(async () => {
    pg = await startPostgres();
  });
  afterAll(async () => {
    await pg?.stop();
  });

  async function startProduction(override?: Record<string, unknown>) {
    return spawnBackend({
      configFiles: ['app-config.production.yaml'],
      override,
      env: productionEnv(pg),
    });
  }

  it('refuses to start a production config with guest sign-in, naming the key', async () => {
    const backend = await startProduction({
      auth: { providers: { guest: {} } },
    });
    const code = await backend.exited;
    await backend.stop();
    expect(code).not.toBe(0);
    expect(backend.output()).toContain('Refusing to start');
    expect(backend.output()).toContain('auth.providers.guest is set');
  }, 120_000);

  it('refuses to start a production config with the allow-all policy, naming the key', async () => {
    const backend = await startProduction({
      paver: { permission: { policy: 'allow-all' } },
    });
    const code = await backend.exited;
    await backend.stop();
    expect(code).not.toBe(0);
    expect(backend.output()).toContain(
      'paver.permission.policy is "allow-all"',
    );
  }, 120_000);

  it('starts the production config as committed, on PostgreSQL, under NODE_ENV=production', async () => {
    const backend = await startProduction();
    try {
      await waitForReady(backend);
      expect(backend.output()).not.toContain('Refusing to start');
      // The database workspace provider (scaffolder.taskRecovery.workspaceProvider) is enabled, not
      // skipped as "development use only": dangerouslyEnableInProduction is honoured.
      expect(backend.output()).not.toContain(WORKSPACE_MODULE_OFF);
    } finally {
      await backend.stop();
    }
  }, 180_000);

  it('refuses to start under NODE_ENV=production without dangerouslyEnableInProduction, naming the workspace provider', async () => {
    const backend = await startProduction({
      scaffolder: {
        taskRecovery: { database: { dangerouslyEnableInProduction: false } },
      },
    });
    // Bounded: a backend that starts anyway is stopped and reported, not waited on until the timeout.
    const ready = await waitForReady(backend, 90_000).then(
      () => true,
      () => false,
    );
    await backend.stop();
    const code = await backend.exited;
    expect(ready, 'the backend became ready').toBe(false);
    // It exited by itself with an error (null would mean stop() killed it).
    expect(code, backend.output().slice(-4_000)).toBeGreaterThan(0);
    expect(backend.output()).toContain(WORKSPACE_MODULE_OFF);
    expect(backend.output()).toContain(
      "Workspace provider 'database' is configured but not available",
    );
  }, 120_000);
});
