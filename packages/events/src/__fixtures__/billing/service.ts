import { fileURLToPath } from 'node:url';
import { defineService, jsonObject } from '@paver/service-runtime';
import { readEventContract } from '../../contract.js';
import { eventProducer } from '../../outbox.js';
import { serviceEvents } from '../../serviceEvents.js';

const contract = readEventContract(
  fileURLToPath(new URL('../billing-asyncapi.yaml', import.meta.url)),
);
const events = eventProducer('billing-service', contract);

/** A service whose one write enqueues invoice.issued; the runtime runs its relay. */
export const billingService = defineService({
  name: 'billing-service',
  root: new URL('.', import.meta.url),
  createHandlers: ({ db }) => ({
    issueInvoice: async req => {
      const invoice = jsonObject(req.body);
      await db.transaction(async tx => {
        await tx.query(
          'INSERT INTO invoices (id, customer_id) VALUES ($1, $2)',
          [invoice.invoiceId, invoice.customerId],
        );
        await events.enqueue(tx, 'invoice.issued', 1, invoice);
      });
      return { status: 201 };
    },
  }),
  background: serviceEvents({ service: 'billing-service', contract }),
});
