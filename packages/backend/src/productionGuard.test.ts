import { startPostgres, type ThrowawayPostgres } from '@paver/test-utils';
import { spawnBackend, waitForReady } from './testing/backendProcess';

/** What production config reads from the environment; dummy credentials, a real database. */
function productionEnv(pg: ThrowawayPostgres): Record<string, string> {
  return {
    PAVER_BASE_URL: 'http://localhost:7007',
    BACKEND_SECRET: 'test-backend-secret-not-for-production',
    POSTGRES_HOST: pg.host,
    POSTGRES_PORT: String(pg.port),
    POSTGRES_USER: pg.user,
    POSTGRES_PASSWORD: pg.password,
    AUTH_GITHUB_CLIENT_ID: 'test-client-id',
    AUTH_GITHUB_CLIENT_SECRET: 'test-client-secret',
    GITHUB_TOKEN: 'test-token',
  };
}

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
    const backend = await startProduction({ auth: { providers: { guest: {} } } });
    const code = await backend.exited;
    await backend.stop();
    expect(code).not.toBe(0);
    expect(backend.output()).toContain('Refusing to start');
    expect(backend.output()).toContain('auth.providers.guest is set');
  }, 120_000);

  it('refuses to start a production config with the allow-all policy, naming the key', async () => {
    const backend = await startProduction({ paver: { permission: { policy: 'allow-all' } } });
    const code = await backend.exited;
    await backend.stop();
    expect(code).not.toBe(0);
    expect(backend.output()).toContain('paver.permission.policy is "allow-all"');
  }, 120_000);

  it('starts the production config as committed, on PostgreSQL', async () => {
    const backend = await startProduction();
    try {
      await waitForReady(backend);
      expect(backend.output()).not.toContain('Refusing to start');
    } finally {
      await backend.stop();
    }
  }, 180_000);
});
