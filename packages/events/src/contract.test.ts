import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Parser } from '@asyncapi/parser';
import { tempDir } from '@paver/test-utils';
import { readEventContract } from './contract.js';
import { EventContractError, EventPayloadError } from './errors.js';
import { eventProducer } from './outbox.js';

const fixtures = fileURLToPath(new URL('./__fixtures__', import.meta.url));
const BILLING = path.join(fixtures, 'billing-asyncapi.yaml');
const NOTIFICATION = path.join(fixtures, 'notification-asyncapi.yaml');
const INVOICE = {
  invoiceId: '6f1c1f3e-8f4e-4a43-9d8e-3b1f1c2a9e01',
  customerId: '0b4c7f9a-2f43-4f6e-8a41-7d0f3c1e2b55',
  totalMinor: 4200,
  currency: 'EUR',
};

async function contractFile(yaml: string): Promise<string> {
  const file = path.join(await tempDir('asyncapi-'), 'asyncapi.yaml');
  await writeFile(file, yaml);
  return file;
}

describe('event contracts (AsyncAPI 3.0)', () => {
  it.each([BILLING, NOTIFICATION].map(file => [path.basename(file), file]))(
    '%s is valid AsyncAPI for the AsyncAPI parser',
    async (_name, file) => {
      const { diagnostics } = await new Parser().parse(
        await readFile(file, 'utf8'),
      );
      const errors = diagnostics.filter(d => d.severity === 0);
      expect(errors.map(e => `${e.path.join('.')}: ${e.message}`)).toEqual([]);
    },
  );

  it('lists what a service sends and receives, by subject', () => {
    expect(readEventContract(BILLING).events).toEqual([
      {
        action: 'send',
        subject: 'billing-service.invoice.issued.v1',
        source: 'billing-service',
        type: 'invoice.issued',
        version: 1,
      },
      {
        action: 'send',
        subject: 'billing-service.subscription.activated.v1',
        source: 'billing-service',
        type: 'subscription.activated',
        version: 1,
      },
    ]);
    expect(readEventContract(NOTIFICATION).events).toEqual([
      expect.objectContaining({
        action: 'receive',
        subject: 'billing-service.invoice.issued.v1',
      }),
    ]);
  });

  it('checks data against the payload schema, naming the field', () => {
    const contract = readEventContract(BILLING);
    const subject = 'billing-service.invoice.issued.v1';
    expect(() => contract.check('send', subject, INVOICE)).not.toThrow();
    expect(() =>
      contract.check('send', subject, { ...INVOICE, totalMinor: -1 }),
    ).toThrow(
      new EventPayloadError(`${subject}: data.totalMinor must be >= 0`),
    );
    expect(() =>
      contract.check('send', subject, { ...INVOICE, customerId: 'c-1' }),
    ).toThrow(`${subject}: data.customerId must match format "uuid"`);
    expect(() => contract.check('receive', subject, INVOICE)).toThrow(
      `${BILLING} declares no receive operation on ${subject}`,
    );
  });

  it('refuses a document it cannot use, saying what to change', async () => {
    const v31 = await contractFile('asyncapi: 3.1.0\ninfo: {}\n');
    expect(() => readEventContract(v31)).toThrow(
      new EventContractError(v31, [
        `asyncapi must be 3.0.x (Backstage's API docs cannot render 3.1), got "3.1.0"`,
      ]),
    );
    const badAddress = await contractFile(
      [
        'asyncapi: 3.0.0',
        'channels:',
        '  invoices: { address: invoices, messages: { m: { payload: {} } } }',
        'operations:',
        "  send: { action: send, channel: { $ref: '#/channels/invoices' } }",
      ].join('\n'),
    );
    expect(() => readEventContract(badAddress)).toThrow(
      'channels.invoices.address "invoices" must be <service>.<event type>.v<version>, e.g. billing-service.invoice.issued.v1',
    );
  });

  it('binds a producer to its own events and refuses data outside the contract', () => {
    const contract = readEventContract(BILLING);
    expect(() => eventProducer('auth-service', contract)).toThrow(
      'billing-service.invoice.issued.v1 is not an event of auth-service: it may only send auth-service.*',
    );
    const producer = eventProducer('billing-service', contract);
    const tx = { query: vi.fn(), transaction: vi.fn() };
    expect(() =>
      producer.enqueue(tx, 'invoice.issued', 1, { invoiceId: 'x' }),
    ).toThrow(EventPayloadError);
    expect(() => producer.enqueue(tx, 'invoice.paid', 1, INVOICE)).toThrow(
      'declares no send operation on billing-service.invoice.paid.v1',
    );
    expect(tx.query).not.toHaveBeenCalled();
  });
});
