import nodemailer, { type Transporter } from 'nodemailer';
import { parseConnectionUrl } from 'nodemailer/lib/shared/index.js';
import type SMTPTransport from 'nodemailer/lib/smtp-transport/index.js';
import { delivered, permanentFailure, retryableFailure, type ChannelAdapter, type OutboundMessage, type SendResult } from '../channels.js';

/**
 * Each SMTP step (connect, greeting, every later reply) gives up after this long. It stays well
 * inside the default claim lease (NOTIFY_LEASE_MS, 60 s), so a slow server means a retry by this
 * dispatcher rather than a second copy sent by another one. `?socketTimeout=` in SMTP_URL overrides.
 */
const STEP_TIMEOUT_MS = 20_000;

export interface SmtpServerSettings {
  /** smtp://user:pass@host:587 (STARTTLS) or smtps://user:pass@host:465; query options go to nodemailer. */
  readonly url: string;
  /** The From address, optionally with a name. */
  readonly from: string;
  /** Refuse to go on unless an smtp:// connection upgrades with STARTTLS (production). */
  readonly requireTls: boolean;
}

/**
 * E-mail through an SMTP server (`EMAIL_PROVIDER=smtp`, `SMTP_URL`, `SMTP_FROM`). A message counts
 * as delivered only once the server has accepted it for the recipient; the reply code decides the
 * rest: 5xx is a final no (permanent), 4xx and no reply at all (refused connection, timeout) are
 * worth another try.
 */
export class SmtpEmailAdapter implements ChannelAdapter {
  readonly channel = 'email' as const;
  private readonly transport: Transporter<SMTPTransport.SentMessageInfo>;
  private readonly from: string;
  private readonly messageIdDomain: string;

  constructor({ url, from, requireTls }: SmtpServerSettings) {
    this.transport = nodemailer.createTransport({
      connectionTimeout: STEP_TIMEOUT_MS,
      greetingTimeout: STEP_TIMEOUT_MS,
      socketTimeout: STEP_TIMEOUT_MS,
      requireTLS: requireTls,
      // Last, so an option in the URL (`?requireTLS=false` for a relay on localhost) wins.
      ...parseConnectionUrl(url),
    });
    this.from = from;
    this.messageIdDomain = /@([^\s@<>]+)>?\s*$/.exec(from)?.[1] ?? 'notification-service';
  }

  async send(message: OutboundMessage): Promise<SendResult> {
    if (!message.address) return permanentFailure('no e-mail address');
    try {
      const info = await this.transport.sendMail({
        from: this.from,
        // An address object, not a string: a string is parsed as a list, "a@x.com, b@y.com" as two.
        to: { name: '', address: message.address },
        subject: message.subject ?? '',
        text: message.body,
        // The same Message-ID on every attempt, so a redelivery (at-least-once) is recognisable as one.
        messageId: `<${message.messageId}@${this.messageIdDomain}>`,
      });
      return acceptedFor(info, message.address);
    } catch (error) {
      return smtpFailure(error);
    }
  }
}

function acceptedFor(info: SMTPTransport.SentMessageInfo, address: string): SendResult {
  const addressOf = (entry: string | { address: string }) => (typeof entry === 'string' ? entry : entry.address).toLowerCase();
  if (info.accepted.some(entry => addressOf(entry) === address.toLowerCase())) return delivered(`smtp:${info.messageId}`);
  // nodemailer rejects when every recipient is refused, so this is a server that answered oddly.
  return retryableFailure(`SMTP server did not accept ${address}: ${info.response}`);
}

interface SmtpError {
  message?: string;
  code?: string;
  responseCode?: number;
}

function smtpFailure(error: unknown): SendResult {
  const { message = String(error), code, responseCode } = (error ?? {}) as SmtpError;
  // A refused login or a failed TLS upgrade is our configuration, not this message's fault: keep
  // the message (retry, then dead-letter for a requeue) rather than call it undeliverable.
  if (code === 'EAUTH') return retryableFailure(`SMTP authentication failed (check the user and password in SMTP_URL): ${message}`);
  if (code === 'ETLS') return retryableFailure(`SMTP connection could not be secured with STARTTLS, so nothing was sent: ${message}`);
  if (responseCode !== undefined && responseCode >= 500) return permanentFailure(`SMTP ${responseCode}: ${message}`);
  if (responseCode !== undefined && responseCode >= 400) return retryableFailure(`SMTP ${responseCode}: ${message}`);
  return retryableFailure(`SMTP ${code ?? 'error'}: ${message}`);
}
