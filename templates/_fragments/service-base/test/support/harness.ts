import { natsUrl } from '@paver/events/testing';
import { startTestService as startService, type TestServiceOptions } from '@paver/service-runtime/testing';
import { app } from '../../src/app.js';

export type { TestService, TestServiceOptions } from '@paver/service-runtime/testing';

/**
 * This service on a free port against a real PostgreSQL, with a schema of its own, and the run's
 * NATS: its events are relayed and consumed as in production.
 */
export const startTestService = (options: TestServiceOptions = {}) =>
  startService(app, { ...options, env: { NATS_URL: natsUrl(), ...options.env } });
