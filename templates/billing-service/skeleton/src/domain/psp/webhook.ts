import {
  HttpError,
  type Db,
  type HttpRequest,
  type HttpResponse,
} from '@paver/service-runtime';
import type { PspWebhookConfig } from '../config.js';
import { applyEvent, parseEvent } from './events.js';
import { SIGNATURE_HEADER, verifySignature } from './signature.js';

/**
 * `POST /webhooks/psp`: verify the signature over the raw bytes first (nothing unauthenticated
 * reaches the domain), then apply the event once.
 */
export function pspWebhookHandler(
  db: Db,
  config: PspWebhookConfig | undefined,
  now: () => Date,
) {
  return async (req: HttpRequest): Promise<HttpResponse> => {
    if (!config) {
      throw new HttpError(
        503,
        'webhook_not_configured',
        'PSP_WEBHOOK_SECRET is not set; the PSP will retry this event',
      );
    }
    verifySignature(req.headers[SIGNATURE_HEADER], req.rawBody, {
      secret: config.secret,
      toleranceSeconds: config.toleranceSeconds,
      now: now(),
    });
    const event = parseEvent(req.body);
    const outcome = await db.transaction(tx => applyEvent(tx, event, now()));
    return { status: 200, body: { received: true, ...outcome } };
  };
}
