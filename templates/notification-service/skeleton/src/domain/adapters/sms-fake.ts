import { randomUUID } from 'node:crypto';
import { delivered, permanentFailure, type ChannelAdapter, type OutboundMessage, type SendResult } from '../channels.js';

const E164 = /^\+[1-9][0-9]{6,14}$/;
/** One SMS segment in GSM-7; longer bodies are refused rather than silently split. */
const MAX_BODY = 160 * 6;

export interface SentSms {
  readonly to: string;
  readonly body: string;
  readonly providerMessageId: string;
}

/**
 * A stand-in SMS provider that works offline: it checks what a real gateway checks (E.164 number,
 * body length) and keeps what it "sent", once per message id as a provider with idempotency keys would.
 */
export class FakeSmsProvider implements ChannelAdapter {
  readonly channel = 'sms' as const;
  private readonly byMessageId = new Map<string, SentSms>();

  async send(message: OutboundMessage): Promise<SendResult> {
    if (!message.address || !E164.test(message.address)) {
      return permanentFailure(`invalid phone number '${message.address ?? ''}'`);
    }
    if (message.body.length > MAX_BODY) return permanentFailure(`body longer than ${MAX_BODY} characters`);
    const earlier = this.byMessageId.get(message.messageId);
    if (earlier) return delivered(earlier.providerMessageId);
    const sms = { to: message.address, body: message.body, providerMessageId: `sms_${randomUUID()}` };
    this.byMessageId.set(message.messageId, sms);
    return delivered(sms.providerMessageId);
  }

  sent(): SentSms[] {
    return [...this.byMessageId.values()];
  }
}
