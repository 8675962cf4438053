import type { TestProject } from 'vitest/node';
import { PostgresMissingError, startPostgres } from './postgres.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Set by the global setup: one PostgreSQL for the whole run ('' when none is installed). */
    databaseUrl: string;
  }
}

/**
 * A vitest global setup (`globalSetup: ['@paver/service-runtime/testing/global-setup']` or a
 * file re-exporting it): one PostgreSQL for the whole test run, unless DATABASE_URL already names
 * one. Suites that need no database (infra/) still run where PostgreSQL is not installed: then the
 * harness reports the missing initdb when, and only if, a test asks for a service.
 */
export async function setupPostgres(project: TestProject) {
  if (process.env.DATABASE_URL) {
    project.provide('databaseUrl', process.env.DATABASE_URL);
    return undefined;
  }
  const postgres = await startPostgres().catch(error => {
    if (error instanceof PostgresMissingError) return undefined;
    throw error;
  });
  project.provide('databaseUrl', postgres?.connectionString ?? '');
  return () => postgres?.stop();
}
