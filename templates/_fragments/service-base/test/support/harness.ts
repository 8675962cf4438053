import { startTestService as startService, type TestServiceOptions } from '@paver/service-runtime/testing';
import { app } from '../../src/app.js';

export type { TestService, TestServiceOptions } from '@paver/service-runtime/testing';

/** This service on a free port against a real PostgreSQL, with a schema of its own. */
export const startTestService = (options: TestServiceOptions = {}) => startService(app, options);
