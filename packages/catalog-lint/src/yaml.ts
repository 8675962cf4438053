import { parseYamlStreamSafe } from '@paver/golden-path';
import { CatalogYamlError } from './errors';

/** Catalog files hold one or a few entities; 1 MB bounds memory long before a 50 MB document. */
export const MAX_CATALOG_FILE_BYTES = 1024 * 1024;

/** Aliases are legal but rare in entity files; a small bound defeats "billion laughs". */
export const MAX_ALIAS_COUNT = 50;

/** Limits for {@link parseCatalogYaml}; the defaults suit the organisation's catalog. */
export interface CatalogYamlLimits {
  /** @default MAX_CATALOG_FILE_BYTES */
  maxBytes?: number;
  /** @default MAX_ALIAS_COUNT */
  maxAliasCount?: number;
}

/**
 * Parses every document of a catalog file as plain data, with the engine's safe YAML rules
 * (golden-path's parseYamlStreamSafe: no tags, no merge keys, no `__proto__` or non-string keys,
 * duplicate keys refused, aliases and size bounded) and the catalog's own limits. Empty documents
 * are `null`. Throws {@link CatalogYamlError} naming the document at fault.
 */
export function parseCatalogYaml(
  text: string,
  limits: CatalogYamlLimits = {},
): unknown[] {
  return parseYamlStreamSafe(text, {
    maxBytes: limits.maxBytes ?? MAX_CATALOG_FILE_BYTES,
    maxAliasCount: limits.maxAliasCount ?? MAX_ALIAS_COUNT,
    errorType: CatalogYamlError,
  });
}
