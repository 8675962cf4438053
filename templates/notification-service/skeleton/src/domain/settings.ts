import { ConfigError, intSetting } from '@paver/service-runtime';

/** Tunables of the notification domain; `defaultSettings` documents every default. */
export interface NotificationSettings {
  /** Locale used when the recipient's has no template. @default 'en' */
  readonly defaultLocale: string;
  /** Delivery attempts before a message is dead-lettered. @default 5 */
  readonly maxAttempts: number;
  /** First retry delay; doubles each attempt. @default 30_000 (30 s) */
  readonly backoffBaseMs: number;
  /** Longest retry delay. @default 3_600_000 (1 h) */
  readonly backoffMaxMs: number;
  /** How long a claimed message stays hidden from other dispatchers while it is sent. @default 60_000 */
  readonly leaseMs: number;
  /** Low-priority notifications are gathered this long into one digest. @default 3_600_000 (1 h) */
  readonly digestPeriodMs: number;
}

export const defaultSettings: NotificationSettings = {
  defaultLocale: 'en',
  maxAttempts: 5,
  backoffBaseMs: 30_000,
  backoffMaxMs: 3_600_000,
  leaseMs: 60_000,
  digestPeriodMs: 3_600_000,
};

/** Delay before attempt `attempts + 1`, after `attempts` failed ones: base · 2^(attempts-1), capped. */
export function backoffDelayMs(attempts: number, settings: Pick<NotificationSettings, 'backoffBaseMs' | 'backoffMaxMs'>): number {
  const exponent = Math.max(0, attempts - 1);
  return Math.min(settings.backoffMaxMs, settings.backoffBaseMs * 2 ** Math.min(exponent, 30));
}

type Env = Readonly<Record<string, string | undefined>>;

/** Reads the NOTIFY_* variables; a malformed one is a ConfigError naming it. */
export function loadNotificationSettings(env: Env): NotificationSettings {
  const d = defaultSettings;
  const locale = env.NOTIFY_DEFAULT_LOCALE || d.defaultLocale;
  if (!/^[a-z]{2,3}(-[A-Z]{2})?$/.test(locale)) {
    throw new ConfigError(`NOTIFY_DEFAULT_LOCALE must look like 'en' or 'en-GB', got ${JSON.stringify(locale)}`);
  }
  const day = 86_400_000;
  const settings = {
    defaultLocale: locale,
    maxAttempts: intSetting(env, 'NOTIFY_MAX_ATTEMPTS', d.maxAttempts, { min: 1, max: 100 }),
    backoffBaseMs: intSetting(env, 'NOTIFY_BACKOFF_BASE_MS', d.backoffBaseMs, { min: 1, max: day }),
    backoffMaxMs: intSetting(env, 'NOTIFY_BACKOFF_MAX_MS', d.backoffMaxMs, { min: 1, max: 7 * day }),
    leaseMs: intSetting(env, 'NOTIFY_LEASE_MS', d.leaseMs, { min: 1_000, max: day }),
    digestPeriodMs: intSetting(env, 'NOTIFY_DIGEST_PERIOD_MS', d.digestPeriodMs, { min: 1_000, max: 7 * day }),
  };
  if (settings.backoffMaxMs < settings.backoffBaseMs) {
    throw new ConfigError('NOTIFY_BACKOFF_MAX_MS must not be smaller than NOTIFY_BACKOFF_BASE_MS');
  }
  return settings;
}
