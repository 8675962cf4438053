import { permanentFailure, type OutboundMessage, type SendResult } from '../channels.js';

const E164 = /^\+[1-9][0-9]{6,14}$/;
/** Six GSM-7 segments; longer bodies are refused rather than silently split or truncated. */
export const MAX_SMS_BODY = 160 * 6;

/**
 * What every SMS gateway refuses, checked before one is called: the refusal is permanent, so it is
 * decided here without spending a request (or a rate-limit slot) on it.
 */
export function smsRefusal(message: OutboundMessage): SendResult | null {
  if (!message.address || !E164.test(message.address)) {
    return permanentFailure(`invalid phone number '${message.address ?? ''}'`);
  }
  if (message.body.length > MAX_SMS_BODY) return permanentFailure(`body longer than ${MAX_SMS_BODY} characters`);
  return null;
}
