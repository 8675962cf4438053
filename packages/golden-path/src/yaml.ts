import { isMap, isScalar, parseDocument, visit } from 'yaml';
import { GoldenPathError } from './errors';

/** Answers files are a handful of lines; 1 MB bounds memory long before a 50 MB bomb. */
export const MAX_YAML_BYTES = 1024 * 1024;

/** Aliases are legitimate but rare in answers; a small bound defeats "billion laughs". */
export const MAX_ALIAS_COUNT = 20;

/** Options for {@link parseYamlSafe}. */
export interface SafeYamlOptions {
  /** What is being parsed, for error messages. @default 'YAML' */
  label?: string;
  /** @default MAX_YAML_BYTES */
  maxBytes?: number;
  /** @default MAX_ALIAS_COUNT */
  maxAliasCount?: number;
  /** Error class to throw; lets answers files fail as answers errors. @default GoldenPathError */
  errorType?: new (message: string, options?: { cause?: unknown }) => Error;
}

/**
 * Parses one YAML document as plain data: no explicit tags (custom or `!!binary`),
 * no `__proto__` or non-string keys, no merge keys, aliases bounded, size bounded.
 */
export function parseYamlSafe(
  text: unknown,
  options: SafeYamlOptions = {},
): unknown {
  const label = options.label ?? 'YAML';
  const Err = options.errorType ?? GoldenPathError;
  if (typeof text !== 'string') {
    throw new Err(`${label}: expected text, got ${typeof text}`);
  }
  const maxBytes = options.maxBytes ?? MAX_YAML_BYTES;
  if (Buffer.byteLength(text, 'utf8') > maxBytes) {
    throw new Err(`${label}: document is larger than ${maxBytes} bytes`);
  }
  const doc = parseDocument(text, {
    version: '1.2',
    schema: 'core',
    merge: false,
    customTags: [],
    uniqueKeys: true,
    prettyErrors: false,
  });
  const problem = doc.errors[0] ?? doc.warnings[0];
  if (problem) {
    throw new Err(`${label}: ${problem.message.split('\n')[0]}`);
  }
  assertPlainNodes(doc, label, Err);
  try {
    return doc.toJS({
      maxAliasCount: options.maxAliasCount ?? MAX_ALIAS_COUNT,
    });
  } catch (error) {
    throw new Err(`${label}: ${(error as Error).message}`, { cause: error });
  }
}

function assertPlainNodes(
  doc: ReturnType<typeof parseDocument>,
  label: string,
  Err: NonNullable<SafeYamlOptions['errorType']>,
): void {
  visit(doc, {
    Node(_key, node) {
      if ('tag' in node && node.tag) {
        throw new Err(`${label}: tags are not allowed (found ${node.tag})`);
      }
      if (isMap(node)) {
        for (const pair of node.items) {
          if (!isScalar(pair.key) || typeof pair.key.value !== 'string') {
            throw new Err(`${label}: mapping keys must be plain strings`);
          }
          if (pair.key.value === '__proto__') {
            throw new Err(`${label}: the key "__proto__" is not allowed`);
          }
        }
      }
      return undefined;
    },
  });
}
