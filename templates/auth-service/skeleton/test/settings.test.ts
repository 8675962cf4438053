import { loadRuntimeConfig } from '@paver/service-runtime';
import { app } from '../src/app.js';
import { authSettings } from '../src/domain/settings.js';

const settingsFor = (env: Record<string, string>) => authSettings(loadRuntimeConfig(app.name, { DATABASE_URL: 'postgres://settings.invalid/none', ...env }));

describe('auth settings', () => {
  it('defaults to the reviewed security limits', () => {
    expect(settingsFor({})).toMatchObject({
      refreshReuseGraceSeconds: 10,
      jwksMaxAgeSeconds: 300,
      loginMaxFailuresPerEmail: 5,
      loginMaxFailuresPerIp: 20,
      loginFailureWindowSeconds: 900,
      trustedProxyHops: 1,
      passwordHashConcurrency: 2,
      passwordHashQueue: 16,
      keysAdminToken: undefined,
    });
  });

  it('refuses to start in production without KEYS_ADMIN_TOKEN', () => {
    expect(() => settingsFor({ NODE_ENV: 'production' })).toThrow(/KEYS_ADMIN_TOKEN must be set when NODE_ENV=production/);
    const token = 'a'.repeat(32);
    expect(settingsFor({ NODE_ENV: 'production', KEYS_ADMIN_TOKEN: token }).keysAdminToken).toBe(token);
  });

  it('reads ACCESS_TOKEN_SCOPES as a space-separated list, and refuses what is not a scope name', () => {
    expect(settingsFor({}).accessTokenScopes).toEqual([]);
    expect(settingsFor({ ACCESS_TOKEN_SCOPES: ' billing:read  notifications:read billing:read' }).accessTokenScopes).toEqual([
      'billing:read',
      'notifications:read',
    ]);
    expect(() => settingsFor({ ACCESS_TOKEN_SCOPES: 'billing:read "admin"' })).toThrow(
      /^ACCESS_TOKEN_SCOPES must be scope names separated by spaces; .*admin.* is not one$/,
    );
  });

  it('refuses a guessably short KEYS_ADMIN_TOKEN', () => {
    expect(() => settingsFor({ KEYS_ADMIN_TOKEN: 'short' })).toThrow(/KEYS_ADMIN_TOKEN must be at least 32 characters long/);
  });
});
