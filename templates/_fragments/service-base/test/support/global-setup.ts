import type { TestProject } from 'vitest/node';
import { PostgresMissingError, startPostgres } from './postgres.js';

/** One PostgreSQL for the whole test run, unless DATABASE_URL already names one. */
export default async function setup(project: TestProject) {
  if (process.env.DATABASE_URL) {
    project.provide('databaseUrl', process.env.DATABASE_URL);
    return;
  }
  // Suites that need no database (infra/) must run where PostgreSQL is not installed: then the
  // harness reports the missing initdb when, and only if, a test asks for a service.
  const postgres = await startPostgres().catch(error => {
    if (error instanceof PostgresMissingError) return undefined;
    throw error;
  });
  project.provide('databaseUrl', postgres?.connectionString ?? '');
  return () => postgres?.stop();
}
