import { randomUUID } from 'node:crypto';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { delivered, permanentFailure, retryableFailure, type ChannelAdapter, type OutboundMessage, type SendResult } from '../channels.js';

/**
 * Offline e-mail for development only (`EMAIL_PROVIDER=file`, refused in production): writes each
 * message as an RFC 5322 `.eml` file named by its message id, so a second delivery of the same
 * message overwrites rather than duplicates. Each file is written beside its final name and
 * renamed, so a reader never sees half a message. Nobody receives these; SmtpEmailAdapter delivers.
 */
export class FileEmailAdapter implements ChannelAdapter {
  readonly channel = 'email' as const;

  constructor(private readonly directory: string, private readonly from = 'notifications@localhost') {}

  async send(message: OutboundMessage): Promise<SendResult> {
    if (!message.address) return permanentFailure('no e-mail address');
    // The message id is a UUID from our own outbox, so it is a safe file name.
    const file = join(this.directory, `${message.messageId}.eml`);
    try {
      await mkdir(this.directory, { recursive: true });
      const partial = `${file}.${randomUUID()}.partial`;
      await writeFile(partial, toEml(message, this.from), 'utf8');
      await rename(partial, file);
    } catch (error) {
      return retryableFailure(`could not write ${file}: ${(error as Error).message}`);
    }
    return delivered(`file:${message.messageId}`);
  }
}

function toEml(message: OutboundMessage, from: string): string {
  const header = (value: string) => value.replace(/[\r\n]+/g, ' ');
  return [
    `From: ${header(from)}`,
    `To: ${header(message.address ?? '')}`,
    `Subject: ${header(message.subject ?? '')}`,
    `Message-ID: <${message.messageId}@notification-service>`,
    'Content-Type: text/plain; charset=utf-8',
    '',
    message.body,
    '',
  ].join('\r\n');
}
