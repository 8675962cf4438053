import {
  ConfigError,
  intSetting,
  type RuntimeConfig,
} from '@paver/service-runtime';

/** How PSP webhooks are verified. */
export interface PspWebhookConfig {
  /** `PSP_WEBHOOK_SECRET`: the signing secret the PSP shows for this endpoint. */
  readonly secret: string;
  /** `PSP_WEBHOOK_TOLERANCE_SECONDS`: how far a signed timestamp may be from now. @default 300 */
  readonly toleranceSeconds: number;
}

/** Billing's own settings, read once at start from the environment the runtime loaded. */
export interface BillingConfig {
  /**
   * Undefined when `PSP_WEBHOOK_SECRET` is not set: the rest of billing works and the webhook
   * answers 503, so the PSP keeps retrying until the secret is deployed. A secret that is set
   * but unusable stops the service at start instead.
   */
  readonly pspWebhook: PspWebhookConfig | undefined;
}

// Shorter secrets are guessable offline from one captured signature.
const MIN_SECRET_LENGTH = 16;

export function loadBillingConfig(config: RuntimeConfig): BillingConfig {
  const secret = config.env.PSP_WEBHOOK_SECRET;
  if (secret === undefined || secret === '') return { pspWebhook: undefined };
  if (secret.length < MIN_SECRET_LENGTH) {
    throw new ConfigError(
      `PSP_WEBHOOK_SECRET must be at least ${MIN_SECRET_LENGTH} characters long`,
    );
  }
  return {
    pspWebhook: {
      secret,
      toleranceSeconds: intSetting(
        config.env,
        'PSP_WEBHOOK_TOLERANCE_SECONDS',
        300,
        { min: 1, max: 3600 },
      ),
    },
  };
}
