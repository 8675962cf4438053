// One PostgreSQL and one NATS (JetStream on) for the whole test run, unless DATABASE_URL and
// NATS_URL already name them.
import type { TestProject } from 'vitest/node';
import { setupNats } from '@paver/events/testing';
import { setupPostgres } from '@paver/service-runtime/testing';

export default async function setup(project: TestProject) {
  const stops = await Promise.all([setupPostgres(project), setupNats(project)]);
  return async () => {
    await Promise.all(stops.map(stop => stop?.()));
  };
}
