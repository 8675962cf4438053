import type { EventHandler } from '@paver/events';

/**
 * One handler per event asyncapi.yaml receives, keyed by its subject. The auth service sends
 * user.registered and receives nothing.
 */
export const eventHandlers = (): Record<string, EventHandler> => ({});
