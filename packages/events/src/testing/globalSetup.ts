import type { TestProject } from 'vitest/node';
import { NatsMissingError, startNats } from './nats.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Set by the global setup: one NATS with JetStream for the whole run ('' when none is installed). */
    natsUrl: string;
  }
}

/**
 * A vitest global setup: one nats-server with JetStream for the whole test run, unless NATS_URL
 * already names one. Suites that send no events still run where nats-server is not installed:
 * `natsUrl()` names what is missing when, and only if, a test asks for it.
 */
export async function setupNats(project: TestProject) {
  if (process.env.NATS_URL) {
    project.provide('natsUrl', process.env.NATS_URL);
    return undefined;
  }
  const nats = await startNats().catch(error => {
    if (error instanceof NatsMissingError) return undefined;
    throw error;
  });
  project.provide('natsUrl', nats?.url ?? '');
  return () => nats?.stop();
}
