import { HttpError } from '@paver/service-runtime';
import { presentsSecret } from './bearer.js';
import type { RotationPlan } from './keys.js';
import type { AuthSettings } from './settings.js';

/** Rotation is for the platform only: it presents the configured bearer token, compared in constant time. */
export function authorizeKeyRotation(settings: AuthSettings, authorization: string | undefined): void {
  if (!presentsSecret(authorization, settings.keysAdminToken)) {
    throw new HttpError(401, 'unauthorized', 'key rotation needs the Bearer token configured as KEYS_ADMIN_TOKEN', {
      'www-authenticate': 'Bearer',
    });
  }
}

/** The plan as POST /keys/rotate answers it (openapi.yaml: KeyRotation). */
export function rotationJson(plan: RotationPlan) {
  return {
    kid: plan.kid,
    signsFrom: plan.signsFrom.toISOString(),
    replaces: {
      kid: plan.replaces.kid,
      signsUntil: plan.replaces.signsUntil.toISOString(),
      publishedUntil: plan.replaces.publishedUntil.toISOString(),
    },
  };
}
