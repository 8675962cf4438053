import { randomUUID } from 'node:crypto';
import { signatureHeader } from '../../src/domain/psp/signature.js';

export interface ApiResponse {
  status: number;
  headers: Headers;
  // Tests read whatever the service sent; typing it loosely keeps assertions short.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
}

/** A start date whose first monthly period (2024-01-01 to 2024-02-01) closed long ago. */
export const LONG_AGO = '2024-01-01T00:00:00Z';

/** A secret used only by tests; services under test receive it through PSP_WEBHOOK_SECRET. */
export const TEST_WEBHOOK_SECRET = 'whsec_test_0123456789abcdef';

/** Where the service under test answers, and the bearer token its harness minted (every scope). */
export interface BillingTarget {
  baseUrl: string;
  authorization?: string;
}

/**
 * A small HTTP client for the billing API that sends a fresh Idempotency-Key unless given one,
 * and the target's bearer token unless the headers bring their own.
 */
export function billingClient({ baseUrl, authorization }: BillingTarget) {
  async function send(
    method: string,
    path: string,
    body?: unknown,
    extra: Record<string, string> = {},
  ) {
    const headers = { ...(authorization ? { authorization } : {}), ...extra };
    const res = await fetch(`${baseUrl}${path}`, {
      method,
      headers:
        body === undefined
          ? headers
          : { 'content-type': 'application/json', ...headers },
      body:
        body === undefined
          ? undefined
          : typeof body === 'string'
          ? body
          : JSON.stringify(body),
    });
    const text = await res.text();
    return {
      status: res.status,
      headers: res.headers,
      body: text ? JSON.parse(text) : undefined,
    } as ApiResponse;
  }
  const client = {
    get: (path: string) => send('GET', path),
    post: (path: string, body?: unknown, key: string | null = randomUUID()) =>
      send('POST', path, body, key === null ? {} : { 'idempotency-key': key }),
    send,

    /** Creates a plan and returns it; fails the test if the service refuses. */
    async plan(overrides: Record<string, unknown> = {}) {
      return created(
        await client.post('/plans', {
          code: `pro-${randomUUID().slice(0, 8)}`,
          name: 'Pro',
          currency: 'EUR',
          amountMinor: 4900,
          interval: 'month',
          meters: [
            { meter: 'api_calls', unitAmountMinor: 2, includedQuantity: 1000 },
          ],
          ...overrides,
        }),
      );
    },
    async customer() {
      return created(
        await client.post('/customers', {
          email: 'ada@example.com',
          name: 'Ada Lovelace',
        }),
      );
    },
    /** A customer subscribed to a new plan, started at `startAt` (past starts give closed periods). */
    async subscription(
      startAt?: string,
      planOverrides: Record<string, unknown> = {},
    ) {
      const plan = await client.plan(planOverrides);
      const customer = await client.customer();
      const subscription = created(
        await client.post('/subscriptions', {
          customerId: customer.id,
          planId: plan.id,
          startAt,
        }),
      );
      return { plan, customer, subscription };
    },
    /** A finalized (open) invoice for the first, long-closed period of a new subscription. */
    async openInvoice() {
      const { subscription } = await client.subscription(LONG_AGO);
      const draft = created(
        await client.post('/invoices', { subscriptionId: subscription.id }),
      );
      const open = await client.post(`/invoices/${draft.id}/finalize`);
      if (open.status !== 200)
        throw new Error(`finalize failed: ${JSON.stringify(open.body)}`);
      return { subscription, invoice: open.body };
    },
    /** Posts a PSP event signed with `secret` at `timestamp` (unix seconds). */
    webhook(
      event: unknown,
      options: { secret?: string; timestamp?: number; header?: string } = {},
    ) {
      const raw = JSON.stringify(event);
      const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
      const header =
        options.header ??
        signatureHeader(options.secret ?? TEST_WEBHOOK_SECRET, timestamp, raw);
      return send('POST', '/webhooks/psp', raw, { 'psp-signature': header });
    },
  };
  return client;
}

export type BillingClient = ReturnType<typeof billingClient>;

function created(res: ApiResponse) {
  if (res.status !== 201)
    throw new Error(
      `expected 201, got ${res.status}: ${JSON.stringify(res.body)}`,
    );
  return res.body;
}

/** A billing service against a real PostgreSQL, with the webhook secret set. */
export const BILLING_ENV = { PSP_WEBHOOK_SECRET: TEST_WEBHOOK_SECRET };
