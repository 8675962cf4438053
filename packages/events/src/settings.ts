import { ConfigError, type Env } from '@paver/service-runtime';

/** `NATS_URL`: one or more servers, comma-separated (`nats://nats:4222,nats://nats-2:4222`). */
export function natsServers(env: Env): string[] {
  const value = env.NATS_URL;
  if (!value) {
    throw new ConfigError(
      'NATS_URL must be set: this service sends or receives events (asyncapi.yaml)',
    );
  }
  const servers = value.split(',').map(server => server.trim());
  const bad = servers.find(
    server =>
      !URL.canParse(server) ||
      !['nats:', 'tls:'].includes(new URL(server).protocol),
  );
  if (bad !== undefined) {
    throw new ConfigError(
      `NATS_URL must list nats:// or tls:// URLs, got ${JSON.stringify(bad)}`,
    );
  }
  return servers;
}
