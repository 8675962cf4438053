import {
  jsonObject,
  type Handler,
  type Handlers,
  type HttpRequest,
  type HttpResponse,
  type ServiceDeps,
} from '@paver/service-runtime';
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

export interface BillingDeps extends ServiceDeps {
  /** The clock billing periods and signature windows are measured against. @default the system clock */
  clock?: () => Date;
}

/**
 * One handler per operationId of openapi.yaml, which holds the paths and methods. Client POSTs
 * run in one transaction behind an Idempotency-Key; the PSP webhook is exempt because the PSP
 * does not send one — its signed event id gives the same guarantee.
 */
export function createHandlers(deps: BillingDeps): Handlers {
  const { db } = deps;
  const now = deps.clock ?? (() => new Date());
  const billing = loadBillingConfig(deps.config);
  if (!billing.pspWebhook)
    deps.logger.warn(
      'PSP_WEBHOOK_SECRET is not set: POST /webhooks/psp answers 503',
    );
  const post = (handler: TransactionalHandler): Handler =>
    idempotent(db, handler);
  const id = (req: HttpRequest) => uuidParam(req, 'id');

  return {
    createPlan: post(async (tx, req) =>
      created(planJson(await createPlan(tx, parseNewPlan(req.body)))),
    ),
    listPlans: async () => ok({ items: (await listPlans(db)).map(planJson) }),
    getPlan: async req => ok(planJson(await getPlan(db, id(req)))),

    createCustomer: post(async (tx, req) =>
      created(
        customerJson(await createCustomer(tx, parseNewCustomer(req.body))),
      ),
    ),
    getCustomer: async req => ok(customerJson(await getCustomer(db, id(req)))),

    createSubscription: post(async (tx, req) =>
      created(
        subscriptionJson(
          await createSubscription(tx, parseNewSubscription(req.body, now())),
        ),
      ),
    ),
    getSubscription: async req =>
      ok(subscriptionJson(await getSubscription(db, id(req)))),
    cancelSubscription: post(async (tx, req) =>
      ok(subscriptionJson(await cancelAtPeriodEnd(tx, id(req)))),
    ),
    recordUsage: post(async (tx, req) => {
      const recorded = await recordUsage(
        tx,
        parseUsageEvent(req.body, id(req), now()),
      );
      return {
        status: recorded.duplicate ? 200 : 201,
        body: usageEventJson(recorded),
      };
    }),
    getUsageSummary: async req => ok(await usageSummary(db, id(req), req)),
    listSubscriptionInvoices: async req => {
      await getSubscription(db, id(req));
      return ok({ items: (await listInvoices(db, id(req))).map(invoiceJson) });
    },

    generateInvoice: post(async (tx, req) =>
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
    getInvoice: async req => ok(invoiceJson(await getInvoice(db, id(req)))),
    finalizeInvoice: post(async (tx, req) =>
      ok(invoiceJson(await finalizeInvoice(tx, id(req), now()))),
    ),
    markInvoicePaid: post(async (tx, req) =>
      ok(
        invoiceJson(
          await markInvoicePaid(tx, id(req), parsePayment(req.body), now()),
        ),
      ),
    ),

    // Not idempotent(): the signature covers req.rawBody, and the event id dedupes deliveries.
    receivePspWebhook: pspWebhookHandler(db, billing.pspWebhook, now),
  };
}

const ok = (body: unknown): HttpResponse => ({ status: 200, body });
const created = (body: unknown): HttpResponse => ({ status: 201, body });
