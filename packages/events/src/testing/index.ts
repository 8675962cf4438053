// What a service's tests use to run its events for real: a NATS with JetStream, and an eye on a
// stream to see what the service published.
import { inject } from 'vitest';
import { NatsMissingError } from './nats.js';

export { setupNats } from './globalSetup.js';
export { NatsMissingError, startNats, type ThrowawayNats } from './nats.js';
export {
  publishedEvents,
  publishEvent,
  type PublishedEvents,
} from './published.js';

/** The run's NATS (from {@link setupNats}), or NatsMissingError saying what to install. */
export function natsUrl(): string {
  const url = inject('natsUrl');
  if (!url) throw new NatsMissingError();
  return url;
}
