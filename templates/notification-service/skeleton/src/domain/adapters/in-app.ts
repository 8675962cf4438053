import type { Db } from '@paver/service-runtime';
import { delivered, type ChannelAdapter, type OutboundMessage, type SendResult } from '../channels.js';

/** In-app delivery is a row in the recipient's inbox; keyed by message id, so a re-send lands once. */
export class InAppAdapter implements ChannelAdapter {
  readonly channel = 'in_app' as const;

  constructor(private readonly db: Db, private readonly now: () => Date = () => new Date()) {}

  async send(message: OutboundMessage): Promise<SendResult> {
    await this.db.query(
      `INSERT INTO inbox (message_id, recipient_id, subject, body, created_at) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (message_id) DO NOTHING`,
      [message.messageId, message.recipientId, message.subject, message.body, this.now()],
    );
    return delivered(`inbox:${message.messageId}`);
  }
}
