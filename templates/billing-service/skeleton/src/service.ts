import type { CreateRoutes } from './platform/app.js';
import {
  jsonObject,
  type HttpRequest,
  type HttpResponse,
  type Route,
} from './platform/http.js';
import { loadBillingConfig } from './domain/config.js';
import {
  createCustomer,
  customerJson,
  getCustomer,
  parseNewCustomer,
} from './domain/customers.js';
import { idempotent, type TransactionalHandler } from './domain/idempotency.js';
import { uuidField, uuidParam } from './domain/input.js';
import {
  finalizeInvoice,
  generateInvoice,
  markInvoicePaid,
  parsePayment,
} from './domain/invoices/lifecycle.js';
import {
  getInvoice,
  invoiceJson,
  listInvoices,
} from './domain/invoices/store.js';
import {
  createPlan,
  getPlan,
  listPlans,
  parseNewPlan,
  planJson,
} from './domain/plans.js';
import { pspWebhookHandler } from './domain/psp/webhook.js';
import {
  cancelAtPeriodEnd,
  createSubscription,
  getSubscription,
  parseNewSubscription,
  subscriptionJson,
} from './domain/subscriptions.js';
import {
  parseUsageEvent,
  recordUsage,
  usageEventJson,
  usageSummary,
} from './domain/usage.js';

export type ServiceDeps = Parameters<CreateRoutes>[0] & {
  /** The clock billing periods and signature windows are measured against. @default the system clock */
  clock?: () => Date;
};

/**
 * Every route the billing service serves; openapi.yaml lists exactly these. Client POSTs run in
 * one transaction behind an Idempotency-Key; the PSP webhook is exempt because the PSP does not
 * send one — its signed event id gives the same guarantee.
 */
export function createRoutes(deps: ServiceDeps): Route[] {
  const { db } = deps;
  const now = deps.clock ?? (() => new Date());
  const billing = loadBillingConfig(deps.config);
  if (!billing.pspWebhook)
    deps.logger.warn(
      'PSP_WEBHOOK_SECRET is not set: POST /webhooks/psp answers 503',
    );
  const post = (
    path: string,
    operationId: string,
    handler: TransactionalHandler,
  ): Route => ({
    method: 'POST',
    path,
    operationId,
    handler: idempotent(db, handler),
  });
  const get = (
    path: string,
    operationId: string,
    handler: (req: HttpRequest) => Promise<HttpResponse>,
  ): Route => ({
    method: 'GET',
    path,
    operationId,
    handler,
  });
  const id = (req: HttpRequest) => uuidParam(req, 'id');

  return [
    post('/plans', 'createPlan', async (tx, req) =>
      created(planJson(await createPlan(tx, parseNewPlan(req.body)))),
    ),
    get('/plans', 'listPlans', async () =>
      ok({ items: (await listPlans(db)).map(planJson) }),
    ),
    get('/plans/:id', 'getPlan', async req =>
      ok(planJson(await getPlan(db, id(req)))),
    ),

    post('/customers', 'createCustomer', async (tx, req) =>
      created(
        customerJson(await createCustomer(tx, parseNewCustomer(req.body))),
      ),
    ),
    get('/customers/:id', 'getCustomer', async req =>
      ok(customerJson(await getCustomer(db, id(req)))),
    ),

    post('/subscriptions', 'createSubscription', async (tx, req) =>
      created(
        subscriptionJson(
          await createSubscription(tx, parseNewSubscription(req.body, now())),
        ),
      ),
    ),
    get('/subscriptions/:id', 'getSubscription', async req =>
      ok(subscriptionJson(await getSubscription(db, id(req)))),
    ),
    post('/subscriptions/:id/cancel', 'cancelSubscription', async (tx, req) =>
      ok(subscriptionJson(await cancelAtPeriodEnd(tx, id(req)))),
    ),
    post('/subscriptions/:id/usage', 'recordUsage', async (tx, req) => {
      const recorded = await recordUsage(
        tx,
        parseUsageEvent(req.body, id(req), now()),
      );
      return {
        status: recorded.duplicate ? 200 : 201,
        body: usageEventJson(recorded),
      };
    }),
    get('/subscriptions/:id/usage', 'getUsageSummary', async req =>
      ok(await usageSummary(db, id(req), req)),
    ),
    get(
      '/subscriptions/:id/invoices',
      'listSubscriptionInvoices',
      async req => {
        await getSubscription(db, id(req));
        return ok({
          items: (await listInvoices(db, id(req))).map(invoiceJson),
        });
      },
    ),

    post('/invoices', 'generateInvoice', async (tx, req) =>
      created(
        invoiceJson(
          await generateInvoice(
            tx,
            uuidField(jsonObject(req.body), 'subscriptionId'),
            now(),
          ),
        ),
      ),
    ),
    get('/invoices/:id', 'getInvoice', async req =>
      ok(invoiceJson(await getInvoice(db, id(req)))),
    ),
    post('/invoices/:id/finalize', 'finalizeInvoice', async (tx, req) =>
      ok(invoiceJson(await finalizeInvoice(tx, id(req), now()))),
    ),
    post('/invoices/:id/mark-paid', 'markInvoicePaid', async (tx, req) =>
      ok(
        invoiceJson(
          await markInvoicePaid(tx, id(req), parsePayment(req.body), now()),
        ),
      ),
    ),

    {
      method: 'POST',
      path: '/webhooks/psp',
      operationId: 'receivePspWebhook',
      handler: pspWebhookHandler(db, billing.pspWebhook, now),
    },
  ];
}

const ok = (body: unknown): HttpResponse => ({ status: 200, body });
const created = (body: unknown): HttpResponse => ({ status: 201, body });
