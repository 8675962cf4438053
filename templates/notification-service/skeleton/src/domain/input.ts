import { InvalidRequestError } from './errors.js';

// Small hand-written readers for JSON bodies: each names the field that was wrong.

export function requireObject(body: unknown, what = 'request body'): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new InvalidRequestError(`${what} must be a JSON object`);
  }
  return body as Record<string, unknown>;
}

export function requireString(obj: Record<string, unknown>, field: string, maxLength = 200): string {
  const value = obj[field];
  if (typeof value !== 'string' || value.trim() === '') {
    throw new InvalidRequestError(`${field} is required and must be a non-empty string`);
  }
  if (value.length > maxLength) throw new InvalidRequestError(`${field} must be at most ${maxLength} characters`);
  return value;
}

export function optionalString(obj: Record<string, unknown>, field: string, maxLength = 200): string | null {
  if (obj[field] === undefined || obj[field] === null) return null;
  return requireString(obj, field, maxLength);
}

export function oneOf<T extends string>(
  obj: Record<string, unknown>,
  field: string,
  allowed: readonly T[],
  fallback?: T,
): T {
  const value = obj[field] ?? fallback;
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw new InvalidRequestError(`${field} must be one of ${allowed.join(', ')}`);
  }
  return value as T;
}

const LOCALE = /^[a-z]{2,3}(-[A-Z]{2})?$/;
export function parseLocale(value: string, field = 'locale'): string {
  if (!LOCALE.test(value)) throw new InvalidRequestError(`${field} must look like 'en' or 'en-GB'`);
  return value;
}

const IDENTIFIER = /^[A-Za-z0-9][A-Za-z0-9._:@-]{0,127}$/;
/** Ids and keys in paths: letters, digits and . _ : @ -, at most 128 characters. */
export function parseIdentifier(value: string | undefined, field: string): string {
  if (value === undefined || !IDENTIFIER.test(value)) {
    throw new InvalidRequestError(`${field} must be 1-128 characters of letters, digits and . _ : @ -`);
  }
  return value;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export function parseUuid(value: string | undefined, field: string): string {
  if (value === undefined || !UUID.test(value)) throw new InvalidRequestError(`${field} must be a UUID`);
  return value.toLowerCase();
}
