import { createHash, timingSafeEqual } from 'node:crypto';

/** The token of an `Authorization: Bearer <token>` header, if that is what it holds. */
export function bearerToken(authorization: string | undefined): string | undefined {
  return /^Bearer (.+)$/.exec(authorization ?? '')?.[1];
}

/** True when the header carries `expected`; false when either is missing. Constant-time whatever the lengths. */
export function presentsSecret(authorization: string | undefined, expected: string | undefined): boolean {
  const presented = bearerToken(authorization);
  if (!expected || !presented) return false;
  // Hash both sides so the comparison takes the same time whatever the lengths.
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(presented), digest(expected));
}
