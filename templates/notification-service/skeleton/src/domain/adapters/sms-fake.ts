import { randomUUID } from 'node:crypto';
import { delivered, type ChannelAdapter, type OutboundMessage, type SendResult } from '../channels.js';
import { smsRefusal } from './sms-checks.js';

export interface SentSms {
  readonly to: string;
  readonly body: string;
  readonly providerMessageId: string;
}

/**
 * A stand-in SMS provider for development only (`SMS_PROVIDER=fake`, refused in production): it
 * checks what a real gateway checks (E.164 number, body length) and keeps what it "sent" in memory,
 * once per message id as a provider with idempotency keys would. Nothing reaches a phone.
 */
export class FakeSmsProvider implements ChannelAdapter {
  readonly channel = 'sms' as const;
  private readonly byMessageId = new Map<string, SentSms>();

  async send(message: OutboundMessage): Promise<SendResult> {
    const refusal = smsRefusal(message);
    if (refusal) return refusal;
    const earlier = this.byMessageId.get(message.messageId);
    if (earlier) return delivered(earlier.providerMessageId);
    const sms = { to: message.address!, body: message.body, providerMessageId: `sms_${randomUUID()}` };
    this.byMessageId.set(message.messageId, sms);
    return delivered(sms.providerMessageId);
  }

  sent(): SentSms[] {
    return [...this.byMessageId.values()];
  }
}
