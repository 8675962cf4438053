// Events between Paver services: the outbox a producer writes in its own transactions, the relay
// that publishes it to NATS JetStream, and the consumers that handle each event once.
export {
  eventStream,
  eventSubject,
  parseEnvelope,
  type EventEnvelope,
  type NewEvent,
} from './envelope.js';
export {
  readEventContract,
  type ContractEvent,
  type EventContract,
} from './contract.js';
export {
  EventContractError,
  EventPayloadError,
  MalformedEventError,
} from './errors.js';
export {
  EVENTS_MIGRATIONS_DIR,
  OUTBOX_CHANNEL,
  enqueueEvent,
  eventProducer,
  migrateEvents,
  type EventProducer,
} from './outbox.js';
export {
  relayBatch,
  startOutboxRelay,
  type RelayOptions,
  type RunningRelay,
} from './relay.js';
export {
  durableName,
  startConsumer,
  type ConsumerOptions,
  type RunningConsumer,
} from './consumer.js';
export {
  DEAD_LETTER_REASON,
  type EventHandler,
  type HandlerContext,
} from './delivery.js';
export {
  DEAD_LETTER_STREAM,
  deadLetterSubject,
  DUPLICATE_WINDOW_MS,
  ensureDeadLetterStream,
  ensureEventStream,
} from './streams.js';
export { serviceEvents, type ServiceEventsOptions } from './serviceEvents.js';
export { natsServers } from './settings.js';
