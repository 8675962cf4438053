import { traceCarrier } from '@paver/service-runtime';
import { delivered, permanentFailure, retryableFailure, type ChannelAdapter, type OutboundMessage, type SendResult } from '../channels.js';
import { smsRefusal } from './sms-checks.js';

/** Bounds a hung request well inside the default claim lease (NOTIFY_LEASE_MS, 60 s). */
const REQUEST_TIMEOUT_MS = 20_000;

export interface TwilioAccount {
  /** https://api.twilio.com, or a local double in tests. */
  readonly apiUrl: string;
  readonly accountSid: string;
  readonly authToken: string;
  /** The sending number (E.164) or alphanumeric sender id. */
  readonly from: string;
}

interface TwilioReply {
  status: number;
  body: { sid?: unknown; code?: unknown; message?: unknown } | null;
}

/**
 * SMS through Twilio's Messages API (`SMS_PROVIDER=twilio`). Twilio's 201 with a message sid means
 * it accepted the message; 429 (throttled) and 5xx are tried again later; any other 4xx is a
 * verdict on this message (Twilio's `{ code, message }` becomes the reason), except 401, which is
 * our credentials and so worth keeping the message for. Twilio takes no idempotency key, so a
 * request that times out after Twilio accepted it can, rarely, send one SMS twice.
 */
export class TwilioSmsAdapter implements ChannelAdapter {
  readonly channel = 'sms' as const;

  constructor(private readonly account: TwilioAccount) {}

  async send(message: OutboundMessage): Promise<SendResult> {
    const refusal = smsRefusal(message);
    if (refusal) return refusal;
    let reply: TwilioReply;
    try {
      reply = await this.post({ To: message.address!, From: this.account.from, Body: message.body });
    } catch (error) {
      return retryableFailure(`Twilio request failed: ${error instanceof Error ? error.message : String(error)}`);
    }
    return verdict(reply);
  }

  private async post(form: Record<string, string>): Promise<TwilioReply> {
    const { apiUrl, accountSid, authToken } = this.account;
    const response = await fetch(`${apiUrl}/2010-04-01/Accounts/${encodeURIComponent(accountSid)}/Messages.json`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${accountSid}:${authToken}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
        accept: 'application/json',
        // The delivery's trace context, so a traced proxy or gateway on the way joins the trace.
        ...traceCarrier(),
      },
      body: new URLSearchParams(form),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    return { status: response.status, body: parseJson(await response.text()) };
  }
}

function verdict({ status, body }: TwilioReply): SendResult {
  if (status >= 200 && status < 300) {
    if (typeof body?.sid === 'string') return delivered(body.sid);
    return retryableFailure(`Twilio answered ${status} without a message sid`);
  }
  const detail = typeof body?.message === 'string' ? body.message : 'no error message';
  const reason = `Twilio ${status}${body?.code !== undefined ? ` error ${String(body.code)}` : ''}: ${detail}`;
  if (status === 429 || status >= 500) return retryableFailure(reason);
  if (status === 401) return retryableFailure(`${reason} (check TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN)`);
  return permanentFailure(reason);
}

function parseJson(text: string): TwilioReply['body'] {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null ? (value as TwilioReply['body']) : null;
  } catch {
    return null;
  }
}
