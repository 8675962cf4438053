import { describe, expect, it } from 'vitest';
import { backoffDelayMs, defaultSettings, loadNotificationSettings } from '../src/domain/settings.js';

describe('notification settings', () => {
  it('uses the documented defaults when nothing is set', () => {
    expect(loadNotificationSettings({})).toEqual(defaultSettings);
  });

  it('reads every NOTIFY_* variable', () => {
    expect(
      loadNotificationSettings({
        NOTIFY_DEFAULT_LOCALE: 'de-CH', NOTIFY_MAX_ATTEMPTS: '7', NOTIFY_BACKOFF_BASE_MS: '500',
        NOTIFY_BACKOFF_MAX_MS: '9000', NOTIFY_LEASE_MS: '5000', NOTIFY_DIGEST_PERIOD_MS: '86400000',
      }),
    ).toEqual({ defaultLocale: 'de-CH', maxAttempts: 7, backoffBaseMs: 500, backoffMaxMs: 9000, leaseMs: 5000, digestPeriodMs: 86_400_000 });
  });

  it.each([
    [{ NOTIFY_MAX_ATTEMPTS: '0' }, 'NOTIFY_MAX_ATTEMPTS must be an integer from 1 to 100, got "0"'],
    [{ NOTIFY_LEASE_MS: 'soon' }, 'NOTIFY_LEASE_MS must be an integer from 1000 to 86400000, got "soon"'],
    [{ NOTIFY_DEFAULT_LOCALE: 'English' }, `NOTIFY_DEFAULT_LOCALE must look like 'en' or 'en-GB', got "English"`],
    [{ NOTIFY_BACKOFF_BASE_MS: '5000', NOTIFY_BACKOFF_MAX_MS: '1000' }, 'NOTIFY_BACKOFF_MAX_MS must not be smaller than NOTIFY_BACKOFF_BASE_MS'],
  ])('refuses %j with an error naming the variable', (env, message) => {
    expect(() => loadNotificationSettings(env)).toThrow(message);
  });
});

describe('retry backoff', () => {
  const settings = { backoffBaseMs: 1_000, backoffMaxMs: 10_000 };

  it('doubles from the base after each failed attempt', () => {
    expect([1, 2, 3, 4].map(n => backoffDelayMs(n, settings))).toEqual([1_000, 2_000, 4_000, 8_000]);
  });

  it('never waits longer than the maximum, however many attempts failed', () => {
    expect(backoffDelayMs(5, settings)).toBe(10_000);
    expect(backoffDelayMs(10_000, settings)).toBe(10_000);
  });
});
