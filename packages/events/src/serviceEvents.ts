import { connect, type NatsConnection } from '@nats-io/transport-node';
import {
  defaultSchemaFor,
  errorMessage,
  type BackgroundDeps,
  type WorkerLoop,
} from '@paver/service-runtime';
import {
  startConsumer,
  type ConsumerOptions,
  type RunningConsumer,
} from './consumer.js';
import type { EventContract } from './contract.js';
import type { EventHandler } from './delivery.js';
import { EventContractError } from './errors.js';
import { eventProducer, migrateEvents } from './outbox.js';
import { startOutboxRelay, type RunningRelay } from './relay.js';
import { natsServers } from './settings.js';

export interface ServiceEventsOptions {
  /** The service's name: the source of the events it sends, the consumer of those it receives. */
  service: string;
  /** Its AsyncAPI document (`asyncapi.yaml`), read with `readEventContract`. */
  contract: EventContract;
  /**
   * One handler per receive operation of the contract, keyed by its subject, made from the
   * deps (a handler reads the service's settings).
   */
  handlers?: (deps: BackgroundDeps) => Record<string, EventHandler>;
  /** Limits every consumer of the service gets. */
  limits?: Pick<ConsumerOptions, 'maxDeliver' | 'backoffMs' | 'ackWaitMs'>;
}

/**
 * A service's events as its runtime runs them: pass the result as `background` to defineService
 * or start it from a worker's `start`. It creates the outbox and inbox tables, connects to
 * NATS_URL, relays the outbox when the contract sends anything, and starts one durable consumer
 * per receive operation. The contract and the handlers must match both ways, checked before
 * anything is migrated or connected: a receive without a handler would leave its events unread.
 */
export function serviceEvents(
  options: ServiceEventsOptions,
): (deps: BackgroundDeps) => Promise<WorkerLoop> {
  const { contract, service } = options;
  // A contract sending another service's events fails here, not at the first enqueue.
  eventProducer(service, contract);
  return async deps => {
    const { db, config, logger } = deps;
    const handlers = options.handlers?.(deps) ?? {};
    checkHandlers(contract, Object.keys(handlers));
    const servers = natsServers(config.env);
    await migrateEvents(db);
    const nats = await connectNats(servers, service);
    const running: (RunningRelay | RunningConsumer)[] = [];
    try {
      if (contract.events.some(event => event.action === 'send')) {
        running.push(
          await startOutboxRelay({
            db,
            nats,
            source: service,
            logger,
            wakeOn: {
              connectionString: config.databaseUrl,
              schema: config.databaseSchema,
            },
          }),
        );
      }
      for (const event of contract.events.filter(e => e.action === 'receive')) {
        running.push(
          await startConsumer({
            ...options.limits,
            db,
            nats,
            logger,
            contract,
            consumer: consumerFor(service, config.databaseSchema),
            source: event.source,
            type: event.type,
            version: event.version,
            handle: handlers[event.subject],
          }),
        );
      }
    } catch (error) {
      await stopAll(running, nats);
      throw error;
    }
    logger.info(
      {
        nats: servers.join(','),
        subjects: contract.events.map(e => e.subject),
      },
      'events started',
    );
    return {
      stop: () => stopAll(running, nats),
      // Reconnection is unbounded, so a closed connection means it was closed for good.
      alive: () => !nats.isClosed(),
    };
  };
}

/**
 * One durable per ledger, since the inbox that makes handling idempotent lives in the schema:
 * the service in its own schema keeps its name, and another schema (a test's, a second
 * deployment's) is a consumer of its own rather than one taking its events away.
 */
const consumerFor = (service: string, schema: string) =>
  schema === defaultSchemaFor(service) ? service : `${service}-${schema}`;

function checkHandlers(contract: EventContract, subjects: string[]): void {
  const received = contract.events
    .filter(event => event.action === 'receive')
    .map(event => event.subject);
  const problems = [
    ...received
      .filter(subject => !subjects.includes(subject))
      .map(subject => `receives ${subject}, which has no handler`),
    ...subjects
      .filter(subject => !received.includes(subject))
      .map(
        subject =>
          `has a handler for ${subject}, which it declares no receive operation on`,
      ),
  ];
  if (problems.length > 0)
    throw new EventContractError(contract.file, problems);
}

async function connectNats(
  servers: string[],
  service: string,
): Promise<NatsConnection> {
  try {
    // After the first connection, reconnect for as long as it takes: the outbox holds events
    // while NATS is away, and the consumers resume where their durable state says.
    return await connect({
      servers,
      name: service,
      maxReconnectAttempts: -1,
      reconnectTimeWait: 1_000,
    });
  } catch (error) {
    throw new Error(
      `NATS at ${servers.join(',')} (NATS_URL) did not answer: ${errorMessage(
        error,
      )}`,
    );
  }
}

async function stopAll(
  running: (RunningRelay | RunningConsumer)[],
  nats: NatsConnection,
): Promise<void> {
  await Promise.all(running.map(part => part.stop()));
  await nats.drain().catch(() => nats.close());
}
