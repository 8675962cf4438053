// A local double of Twilio's Messages API for the SMS tests: it checks the basic auth and the form
// the way Twilio does, answers in Twilio's own response shapes, counts calls and injects faults.
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface TwilioCall {
  readonly accountSid: string;
  readonly authorization: string | undefined;
  readonly contentType: string | undefined;
  /** The W3C trace context the request carried (the delivery span's), if any. */
  readonly traceparent: string | undefined;
  readonly form: Record<string, string>;
}

/** An answer Twilio gives instead of a 201: its status and the `{ code, message }` of its error body. */
export interface TwilioFault {
  readonly status: number;
  readonly code: number;
  readonly message: string;
}

export interface TwilioDouble {
  /** The base URL, for SMS_API_URL. */
  readonly url: string;
  readonly accountSid: string;
  readonly authToken: string;
  /** Every request that reached the Messages endpoint, faults included. */
  readonly calls: TwilioCall[];
  /** Answers the next `times` message requests with `fault`. */
  failNext(times: number, fault: TwilioFault): void;
  close(): Promise<void>;
}

export const TOO_MANY_REQUESTS: TwilioFault = { status: 429, code: 20429, message: 'Too Many Requests' };

export async function startTwilioDouble(): Promise<TwilioDouble> {
  const accountSid = `AC${randomBytes(16).toString('hex')}`;
  const authToken = randomBytes(16).toString('hex');
  const calls: TwilioCall[] = [];
  const faults: TwilioFault[] = [];

  const server = createServer(async (req, res) => {
    const path = /^\/2010-04-01\/Accounts\/([^/]+)\/Messages\.json$/.exec(req.url ?? '');
    if (req.method !== 'POST' || !path) return reply(res, 404, errorBody({ status: 404, code: 20404, message: 'The requested resource was not found' }));
    const form = Object.fromEntries(new URLSearchParams(await readBody(req)));
    calls.push({ accountSid: path[1], authorization: req.headers.authorization, contentType: req.headers['content-type'], traceparent: headerValue(req.headers.traceparent), form });
    const expectedAuth = `Basic ${Buffer.from(`${accountSid}:${authToken}`).toString('base64')}`;
    if (path[1] !== accountSid || req.headers.authorization !== expectedAuth) {
      return reply(res, 401, errorBody({ status: 401, code: 20003, message: 'Authenticate' }));
    }
    const fault = faults.shift();
    if (fault) return reply(res, fault.status, errorBody(fault));
    if (!form.To || !form.From || !form.Body) {
      return reply(res, 400, errorBody({ status: 400, code: 21604, message: "A 'To' phone number, 'From' and 'Body' are required." }));
    }
    reply(res, 201, messageResource(accountSid, form));
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    accountSid,
    authToken,
    calls,
    failNext(times, fault) {
      for (let i = 0; i < times; i++) faults.push(fault);
    },
    close: () => new Promise<void>(resolve => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

/** Twilio's error body, as its API returns it with any 4xx or 5xx. */
function errorBody({ status, code, message }: TwilioFault) {
  return { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status };
}

/** The Message resource Twilio returns with a 201 (fields a client may read; the rest omitted). */
function messageResource(accountSid: string, form: Record<string, string>) {
  const sid = `SM${randomBytes(16).toString('hex')}`;
  const now = new Date().toUTCString().replace('GMT', '+0000');
  return {
    account_sid: accountSid, api_version: '2010-04-01', body: form.Body, date_created: now, date_sent: null, date_updated: now,
    direction: 'outbound-api', error_code: null, error_message: null, from: form.From, messaging_service_sid: null,
    num_media: '0', num_segments: '1', price: null, price_unit: 'USD', sid, status: 'queued', to: form.To,
    uri: `/2010-04-01/Accounts/${accountSid}/Messages/${sid}.json`,
  };
}

function reply(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(', ') : value;
}
