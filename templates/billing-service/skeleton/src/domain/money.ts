import { HttpError } from '@paver/service-runtime';

// Money is a bigint count of the currency's minor unit (cents, yen, ...): it never passes through
// a float. It leaves the service as a JSON integer, which is exact up to 2^53 - 1.

const CURRENCY = /^[A-Z]{3}$/;

/** An ISO 4217 alphabetic code such as `EUR`. */
export function isCurrency(value: unknown): value is string {
  return typeof value === 'string' && CURRENCY.test(value);
}

/** Reads an int8 column, which node-postgres hands over as a string to keep it exact. */
export function fromDb(value: string | number | bigint): bigint {
  return BigInt(value);
}

/** A bigint as a JSON number; amounts beyond 2^53 - 1 would lose precision, so they are refused. */
export function toJson(value: bigint): number {
  if (
    value > BigInt(Number.MAX_SAFE_INTEGER) ||
    value < BigInt(Number.MIN_SAFE_INTEGER)
  ) {
    throw new HttpError(
      500,
      'amount_out_of_range',
      `amount ${value} cannot be represented exactly in JSON`,
    );
  }
  return Number(value);
}

/** Sum of minor-unit amounts. */
export function sum(values: readonly bigint[]): bigint {
  return values.reduce((total, v) => total + v, 0n);
}
