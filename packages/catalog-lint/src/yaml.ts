import {
  isAlias,
  isMap,
  isScalar,
  parseAllDocuments,
  visit,
  type Document,
} from 'yaml';
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
 * Parses every document of a YAML stream as plain data: no explicit tags, no merge keys,
 * no `__proto__` or non-string keys, duplicate keys refused, aliases and size bounded.
 * Empty documents (a stray `---`) are returned as `null` so document indexes stay true to the file.
 * Throws {@link CatalogYamlError} naming the document at fault.
 */
export function parseCatalogYaml(
  text: string,
  limits: CatalogYamlLimits = {},
): unknown[] {
  const maxBytes = limits.maxBytes ?? MAX_CATALOG_FILE_BYTES;
  if (Buffer.byteLength(text, 'utf8') > maxBytes) {
    throw new CatalogYamlError(`file is larger than ${maxBytes} bytes`);
  }
  const parsed = parseAllDocuments(text, {
    version: '1.2',
    schema: 'core',
    merge: false,
    customTags: [],
    uniqueKeys: true,
    prettyErrors: false,
  });
  const documents = Array.isArray(parsed) ? parsed : [];
  return documents.map((doc, index) => toPlainData(doc, index, limits));
}

function toPlainData(
  doc: Document.Parsed,
  index: number,
  limits: CatalogYamlLimits,
): unknown {
  const fail = (message: string, cause?: unknown) =>
    new CatalogYamlError(`document ${index}: ${message}`, { cause });
  const syntaxProblem = doc.errors[0] ?? doc.warnings[0];
  if (syntaxProblem) {
    throw fail(syntaxProblem.message.split('\n')[0]);
  }
  assertPlainNodes(doc, message => fail(message));
  try {
    return (
      doc.toJS({ maxAliasCount: limits.maxAliasCount ?? MAX_ALIAS_COUNT }) ??
      null
    );
  } catch (error) {
    // yaml throws a ReferenceError when alias expansion would exceed maxAliasCount.
    throw fail(
      `cannot be read as plain data (${(error as Error).message})`,
      error,
    );
  }
}

function assertPlainNodes(
  doc: Document.Parsed,
  fail: (message: string) => Error,
): void {
  visit(doc, {
    Node(_key, node) {
      if (!isAlias(node) && node.tag) {
        throw fail(`tags are not allowed (found ${node.tag})`);
      }
      if (isMap(node)) {
        for (const pair of node.items) {
          if (!isScalar(pair.key) || typeof pair.key.value !== 'string') {
            throw fail('mapping keys must be plain strings');
          }
          if (pair.key.value === '__proto__') {
            throw fail('the key "__proto__" is not allowed');
          }
        }
      }
      return undefined;
    },
  });
}
