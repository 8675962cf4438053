import type { Db } from '../../platform/db.js';
import type { HttpRequest, HttpResponse } from '../../platform/http.js';
import type { BillingConfig } from '../config.js';
import { applyEvent, parseEvent } from './events.js';
import { SIGNATURE_HEADER, verifySignature } from './signature.js';

/**
 * `POST /webhooks/psp`: verify the signature over the raw bytes first (nothing unauthenticated is
 * parsed into domain calls), then apply the event once.
 */
export function pspWebhookHandler(db: Db, config: BillingConfig, now: () => Date) {
  return async (req: HttpRequest): Promise<HttpResponse> => {
    verifySignature(req.headers[SIGNATURE_HEADER], req.rawBody, {
      secret: config.pspWebhookSecret,
      toleranceSeconds: config.pspWebhookToleranceSeconds,
      now: now(),
    });
    const event = parseEvent(req.body);
    const outcome = await db.transaction(tx => applyEvent(tx, event, now()));
    return { status: 200, body: { received: true, ...outcome } };
  };
}
