import { ConfigError, intSetting, requiredSetting, type ServiceConfig } from '../platform/config.js';

/** Billing's own settings, read once at start from the environment the platform loaded. */
export interface BillingConfig {
  /** `PSP_WEBHOOK_SECRET` (required): the signing secret the PSP shows for this endpoint. */
  readonly pspWebhookSecret: string;
  /** `PSP_WEBHOOK_TOLERANCE_SECONDS`: how old a signed timestamp may be. @default 300 */
  readonly pspWebhookToleranceSeconds: number;
}

// Shorter secrets are guessable offline from one captured signature.
const MIN_SECRET_LENGTH = 16;

export function loadBillingConfig(config: ServiceConfig): BillingConfig {
  const pspWebhookSecret = requiredSetting(config.env, 'PSP_WEBHOOK_SECRET');
  if (pspWebhookSecret.length < MIN_SECRET_LENGTH) {
    throw new ConfigError(`PSP_WEBHOOK_SECRET must be at least ${MIN_SECRET_LENGTH} characters long`);
  }
  return {
    pspWebhookSecret,
    pspWebhookToleranceSeconds: intSetting(config.env, 'PSP_WEBHOOK_TOLERANCE_SECONDS', 300, { min: 1, max: 3600 }),
  };
}
