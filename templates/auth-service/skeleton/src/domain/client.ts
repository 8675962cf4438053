import { createHash } from 'node:crypto';
import { isIP } from 'node:net';

type Headers = Record<string, string | undefined>;

/**
 * The client's address as the proxies in front of the service saw it. Each trusted proxy appends
 * the address it received the request from to X-Forwarded-For, so the entry `trustedProxyHops`
 * from the right is the last one a client cannot forge; entries left of it are the client's say.
 * Undefined when there is no such entry (0 hops, or the request bypassed the proxies).
 */
export function clientIp(headers: Headers, trustedProxyHops: number): string | undefined {
  if (trustedProxyHops === 0) return undefined;
  const hops = (headers['x-forwarded-for'] ?? '').split(',').map(hop => hop.trim()).filter(Boolean);
  const candidate = hops[hops.length - trustedProxyHops];
  return candidate !== undefined && isIP(candidate) !== 0 ? candidate : undefined;
}

/**
 * Who is calling, as well as the service can tell without client credentials: address and user
 * agent. Good enough to tell a client's own concurrent requests from a replay elsewhere; never
 * used to grant anything.
 */
export function clientFingerprint(headers: Headers, trustedProxyHops: number): string {
  const ip = clientIp(headers, trustedProxyHops) ?? '';
  return createHash('sha256').update(`${ip}\n${headers['user-agent'] ?? ''}`).digest('hex');
}
