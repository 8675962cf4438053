import { HttpError, type HttpRequest } from '@paver/service-runtime';

// Field readers for the billing API; each failure is a 400 naming the field, in the same
// `invalid_body` vocabulary as the runtime's jsonObject/stringField.

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ISO_TIMESTAMP =
  /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})$/;

export function invalid(field: string, message: string): HttpError {
  return new HttpError(400, 'invalid_body', `"${field}" ${message}`);
}

/** A UUID from the body; a malformed id is a 400 rather than a database error. */
export function uuidField(
  body: Record<string, unknown>,
  field: string,
): string {
  return uuidValue(body[field], field);
}

export function uuidValue(value: unknown, field: string): string {
  if (typeof value !== 'string' || !UUID.test(value))
    throw invalid(field, 'must be a UUID');
  return value.toLowerCase();
}

/** A UUID path parameter such as `/plans/:id`. */
export function uuidParam(req: HttpRequest, name: string): string {
  const value = req.params[name] ?? '';
  if (!UUID.test(value)) {
    throw new HttpError(
      400,
      'invalid_path',
      `path parameter "${name}" must be a UUID, got "${value}"`,
    );
  }
  return value.toLowerCase();
}

/** A whole number in [min, Number.MAX_SAFE_INTEGER], as a bigint; fractions and strings are refused. */
export function integerField(
  body: Record<string, unknown>,
  field: string,
  min: number,
): bigint {
  return integerValue(body[field], field, min);
}

export function integerValue(
  value: unknown,
  field: string,
  min: number,
): bigint {
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
    throw invalid(
      field,
      'must be a whole number (money is an integer count of minor units)',
    );
  }
  if (value < min) throw invalid(field, `must be at least ${min}`);
  return BigInt(value);
}

/** An optional ISO 8601 timestamp with an explicit offset; absent gives undefined. */
export function optionalTimestamp(
  body: Record<string, unknown>,
  field: string,
): Date | undefined {
  const value = body[field];
  if (value === undefined) return undefined;
  return timestampValue(value, field);
}

export function timestampValue(value: unknown, field: string): Date {
  if (
    typeof value !== 'string' ||
    !ISO_TIMESTAMP.test(value) ||
    Number.isNaN(Date.parse(value))
  ) {
    throw invalid(
      field,
      'must be an ISO 8601 timestamp with a time zone, e.g. 2025-01-31T00:00:00Z',
    );
  }
  return new Date(value);
}

/** A string that must be one of a fixed set. */
export function enumField<T extends string>(
  body: Record<string, unknown>,
  field: string,
  allowed: readonly T[],
): T {
  const value = body[field];
  if (typeof value !== 'string' || !allowed.includes(value as T)) {
    throw invalid(field, `must be one of: ${allowed.join(', ')}`);
  }
  return value as T;
}

/** A string matching a pattern, with a human description of the pattern for the message. */
export function patternField(
  body: Record<string, unknown>,
  field: string,
  pattern: RegExp,
  description: string,
): string {
  return patternValue(body[field], field, pattern, description);
}

export function patternValue(
  value: unknown,
  field: string,
  pattern: RegExp,
  description: string,
): string {
  if (typeof value !== 'string' || !pattern.test(value))
    throw invalid(field, `must be ${description}`);
  return value;
}
