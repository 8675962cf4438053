import type { EventHandler } from '@paver/events';

/**
 * One handler per event asyncapi.yaml receives, keyed by its subject. The billing service sends
 * subscription.activated and invoice.issued and receives nothing.
 */
export const eventHandlers = (): Record<string, EventHandler> => ({});
