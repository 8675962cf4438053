/** The delivery channels this service speaks; each is served by one ChannelAdapter. */
export const CHANNELS = ['email', 'sms', 'in_app'] as const;
export type Channel = (typeof CHANNELS)[number];

export function isChannel(value: unknown): value is Channel {
  return typeof value === 'string' && (CHANNELS as readonly string[]).includes(value);
}

/** A rendered message as the dispatcher hands it to a provider. */
export interface OutboundMessage {
  readonly messageId: string;
  readonly channel: Channel;
  readonly recipientId: string;
  /** E-mail address or phone number; null for in-app messages. */
  readonly address: string | null;
  readonly subject: string | null;
  readonly body: string;
}

/**
 * What a provider said. A retryable failure (timeout, 5xx, throttling) is tried again later with
 * backoff; a permanent one (invalid address, rejected content) goes straight to the dead letters.
 */
export type SendResult =
  | { readonly ok: true; readonly providerMessageId: string }
  | { readonly ok: false; readonly retryable: boolean; readonly reason: string };

export interface ChannelAdapter {
  readonly channel: Channel;
  /** Delivers one message. Must be safe to call again with the same messageId (at-least-once). */
  send(message: OutboundMessage): Promise<SendResult>;
}

export type ChannelAdapters = Readonly<Record<Channel, ChannelAdapter>>;

export const delivered = (providerMessageId: string): SendResult => ({ ok: true, providerMessageId });
export const retryableFailure = (reason: string): SendResult => ({ ok: false, retryable: true, reason });
export const permanentFailure = (reason: string): SendResult => ({ ok: false, retryable: false, reason });
