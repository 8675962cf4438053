import type { RawService } from './workflowFiles';

/** A job's service container stood in for by a server the caller runs (`postgres` → its URL). */
export interface ServiceStandIn {
  id: string;
  /** The port the workflow reaches it on: the host side of `ports: ['5432:5432']`. */
  hostPort: number;
  localUrl: string;
}

/** The host ports a service publishes, from `ports:` entries `host:container`, `ip:host:container` or `port`. */
export function publishedPorts(service: RawService): number[] {
  return (service.ports ?? []).map(entry => {
    const parts = String(entry).split(':');
    return Number(parts.length === 1 ? parts[0] : parts[parts.length - 2]);
  });
}

/**
 * On GitHub a job reaches its service containers at localhost on the published port, so a setting
 * such as `postgres://ci:ci@localhost:5432/ci` means "the service". Locally it becomes the
 * stand-in's own URL, whole: its user, password and database are the local server's.
 */
export function pointAtStandIns(
  env: Record<string, string>,
  standIns: readonly ServiceStandIn[],
): Record<string, string> {
  return Object.fromEntries(
    Object.entries(env).map(([key, value]) => [
      key,
      standInFor(value, standIns)?.localUrl ?? value,
    ]),
  );
}

function standInFor(
  value: string,
  standIns: readonly ServiceStandIn[],
): ServiceStandIn | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return undefined;
  }
  if (!['localhost', '127.0.0.1'].includes(url.hostname)) return undefined;
  return standIns.find(standIn => String(standIn.hostPort) === url.port);
}
