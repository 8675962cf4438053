import { randomBytes } from 'node:crypto';
import { DevStackError } from '../errors';
import type { DevService, EnvVar, Workload } from './workloads';

/** What the stack runs that a service's settings point at in the cluster. */
export interface StackEndpoints {
  /** The service's own database on the stack's PostgreSQL. */
  databaseUrl(service: string): string;
  readonly natsUrl: string;
  /** The stack's mail sink, `smtp://127.0.0.1:<port>`. */
  readonly smtpUrl: string;
  /** Where traces go, when the developer gave one; otherwise services export none. */
  readonly otlpUrl?: string;
  /** The API of each stack service that has started, `http://127.0.0.1:<port>`, by name. */
  readonly serviceUrls: ReadonlyMap<string, string>;
  /** Values the platform generates into `<service>-generated` (signing tokens …): one per stack. */
  generated(service: string, key: string): string;
}

/** The cluster's NATS, as service-base's deployment names it. */
const CLUSTER_NATS_HOST = 'nats.nats.svc.cluster.local';
const CLUSTER_HOST = /^([a-z0-9-]+)(\.[a-z0-9-]+)?(\.svc\.cluster\.local)?$/;

/**
 * The environment one workload of `service` runs with locally: its Deployment's variables, each
 * cluster address and secret replaced by the stack's stand-in, then `overrides` (the stack file's
 * `env:`), then the PORT it listens on. A setting without a stand-in is an error naming service,
 * workload and variable, unless `overrides` sets it.
 */
export function localEnvironment(
  service: DevService,
  workload: Workload,
  stack: StackEndpoints,
  overrides: Readonly<Record<string, string>>,
  port: number,
): Record<string, string> {
  const where = `${service.name}: ${workload.name}`;
  const env: Record<string, string> = {
    // Development mode: development-only providers (an SMS fake) are allowed, with a warning.
    NODE_ENV: 'development',
  };
  for (const secret of workload.envFromSecrets) {
    if (!secret.endsWith('-providers'))
      throw new DevStackError(
        `${where}: takes every key of secret ${secret}, which paver dev has no stand-in for`,
      );
    Object.assign(env, mailSettings(service, stack));
  }
  for (const variable of workload.env) {
    if (variable.name in overrides) continue;
    const value = localValue(variable, env, service, stack, where);
    if (value !== undefined) env[variable.name] = value;
  }
  if (!stack.otlpUrl) delete env.OTEL_EXPORTER_OTLP_ENDPOINT;
  return { ...env, ...overrides, PORT: String(port) };
}

function localValue(
  variable: EnvVar,
  env: Record<string, string>,
  service: DevService,
  stack: StackEndpoints,
  where: string,
): string | undefined {
  const secret = variable.valueFrom?.secretKeyRef;
  if (secret)
    return secretValue(secret, service, stack, `${where}: ${variable.name}`);
  // status.hostIP and the like: only what is built from them matters, and that is replaced below.
  if (variable.valueFrom?.fieldRef) return undefined;
  const value = variable.value ?? '';
  if (value.includes('$(HOST_IP)')) return stack.otlpUrl;
  return localAddress(expand(value, env), stack, `${where}: ${variable.name}`);
}

function secretValue(
  { name, key }: { name: string; key: string },
  service: DevService,
  stack: StackEndpoints,
  where: string,
): string {
  if (name === `${service.name}-database` && key === 'DATABASE_URL')
    return stack.databaseUrl(service.name);
  if (name === `${service.name}-generated`)
    return stack.generated(service.name, key);
  throw new DevStackError(
    `${where}: reads key ${key} of secret ${name}, which paver dev has no stand-in for; set it under env: in the stack file`,
  );
}

/** Kubernetes' `$(VAR)`: a variable defined earlier in the list. */
const expand = (value: string, env: Record<string, string>) =>
  value.replace(/\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g, (whole, name) =>
    name in env ? env[name] : whole,
  );

/**
 * A URL to a cluster host, pointed at the stack: the organisation's NATS at the stack's, another
 * service by its Kubernetes Service name at that service's local API. Any other value as it is.
 */
function localAddress(
  value: string,
  stack: StackEndpoints,
  where: string,
): string {
  const url = parseUrl(value);
  if (!url || url.hostname === '127.0.0.1' || url.hostname === 'localhost')
    return value;
  if (url.hostname === CLUSTER_NATS_HOST) return stack.natsUrl;
  const match = CLUSTER_HOST.exec(url.hostname);
  const isClusterName = match && (match[3] || !match[2]);
  if (!match || !isClusterName || url.protocol !== 'http:') return value;
  const target = stack.serviceUrls.get(match[1]);
  if (!target) {
    const known = [...stack.serviceUrls.keys()].join(', ') || 'none yet';
    throw new DevStackError(
      `${where}: calls ${url.hostname}, which is not running in this stack (running: ${known}); add its repository to the stack file, or set the variable under env:`,
    );
  }
  return `${target}${url.pathname === '/' ? '' : url.pathname}${url.search}`;
}

function parseUrl(value: string): URL | undefined {
  if (!/^[a-z]+:\/\//.test(value)) return undefined;
  try {
    return new URL(value);
  } catch {
    return undefined;
  }
}

/** What the providers' secret holds in production, pointed at the stack's mail sink. */
function mailSettings(service: DevService, stack: StackEndpoints) {
  return {
    EMAIL_PROVIDER: 'smtp',
    SMTP_URL: stack.smtpUrl,
    SMTP_FROM: `${service.name} <${service.name}@localhost>`,
  };
}

/** A random value for each generated secret, as the platform generates one per environment. */
export function generatedSecrets(): (service: string, key: string) => string {
  const values = new Map<string, string>();
  return (service, key) => {
    const id = `${service}/${key}`;
    if (!values.has(id)) values.set(id, randomBytes(32).toString('base64url'));
    return values.get(id)!;
  };
}
