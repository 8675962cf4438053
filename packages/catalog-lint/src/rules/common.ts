import type { CatalogProblem } from '../problems';
import { entityRefOf } from '../refs';
import type { LoadedEntity } from '../types';

/** A problem located at one field of one loaded entity. */
export function problemAt(
  item: LoadedEntity,
  field: string,
  message: string,
): CatalogProblem {
  return {
    file: item.file,
    entityRef: entityRefOf(item.entity),
    field,
    message,
  };
}

/** The value as a plain object, or undefined; rules read unvalidated YAML and must not crash on it. */
export function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

/** A field that may hold one ref or a list of refs, as `[value, index?]` pairs of its strings. */
export function stringsOf(value: unknown): Array<[string, number | undefined]> {
  if (typeof value === 'string') {
    return [[value, undefined]];
  }
  if (!Array.isArray(value)) {
    return [];
  }
  return value.flatMap(
    (item, index): Array<[string, number]> =>
      typeof item === 'string' ? [[item, index]] : [],
  );
}
