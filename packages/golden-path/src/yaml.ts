import {
  isAlias,
  isMap,
  isScalar,
  parseAllDocuments,
  parseDocument,
  visit,
  type Document,
  type DocumentOptions,
  type ParseOptions,
  type SchemaOptions,
} from 'yaml';
import { GoldenPathError } from './errors';

/** Answers files are a handful of lines; 1 MB bounds memory long before a 50 MB bomb. */
export const MAX_YAML_BYTES = 1024 * 1024;

/** Aliases are legitimate but rare in answers; a small bound defeats "billion laughs". */
export const MAX_ALIAS_COUNT = 20;

type ErrorType = new (message: string, options?: { cause?: unknown }) => Error;

/** Options for {@link parseYamlSafe} and {@link parseYamlStreamSafe}. */
export interface SafeYamlOptions {
  /** What is being parsed, for error messages. @default 'YAML' (one document), none (a stream) */
  label?: string;
  /** @default MAX_YAML_BYTES */
  maxBytes?: number;
  /** @default MAX_ALIAS_COUNT */
  maxAliasCount?: number;
  /** Error class to throw; lets answers files fail as answers errors. @default GoldenPathError */
  errorType?: ErrorType;
}

// YAML 1.2 core schema, nothing that builds objects from tags, duplicate keys refused.
const PARSE_OPTIONS: ParseOptions & DocumentOptions & SchemaOptions = {
  version: '1.2',
  schema: 'core',
  merge: false,
  customTags: [],
  uniqueKeys: true,
  prettyErrors: false,
};

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
  const fail = (message: string, cause?: unknown) =>
    new Err(`${label}: ${message}`, { cause });
  if (typeof text !== 'string') throw fail(`expected text, got ${typeof text}`);
  assertSize(text, options, size =>
    fail(`document is larger than ${size} bytes`),
  );
  return toPlainData(parseDocument(text, PARSE_OPTIONS), options, fail, m => m);
}

/**
 * Parses every document of a YAML stream under the same rules as {@link parseYamlSafe}. Empty
 * documents (a stray `---`) come back as `null`, so indexes stay true to the file; an error names
 * the document at fault (`document 1: ...`).
 */
export function parseYamlStreamSafe(
  text: string,
  options: SafeYamlOptions = {},
): unknown[] {
  const Err = options.errorType ?? GoldenPathError;
  const prefix = options.label ? `${options.label}: ` : '';
  assertSize(
    text,
    options,
    size => new Err(`${prefix}file is larger than ${size} bytes`),
  );
  const parsed = parseAllDocuments(text, PARSE_OPTIONS);
  const documents = Array.isArray(parsed) ? parsed : [];
  return documents.map((doc, index) => {
    const fail = (message: string, cause?: unknown) =>
      new Err(`${prefix}document ${index}: ${message}`, { cause });
    return (
      toPlainData(
        doc,
        options,
        fail,
        m => `cannot be read as plain data (${m})`,
      ) ?? null
    );
  });
}

function assertSize(
  text: string,
  options: SafeYamlOptions,
  tooLarge: (maxBytes: number) => Error,
): void {
  const maxBytes = options.maxBytes ?? MAX_YAML_BYTES;
  if (Buffer.byteLength(text, 'utf8') > maxBytes) throw tooLarge(maxBytes);
}

function toPlainData(
  doc: Document.Parsed | Document,
  options: SafeYamlOptions,
  fail: (message: string, cause?: unknown) => Error,
  describeExpansionError: (message: string) => string,
): unknown {
  const problem = doc.errors[0] ?? doc.warnings[0];
  if (problem) throw fail(problem.message.split('\n')[0]);
  assertPlainNodes(doc, fail);
  try {
    return doc.toJS({
      maxAliasCount: options.maxAliasCount ?? MAX_ALIAS_COUNT,
    });
  } catch (error) {
    // yaml throws a ReferenceError when alias expansion would exceed maxAliasCount.
    throw fail(describeExpansionError((error as Error).message), error);
  }
}

function assertPlainNodes(
  doc: Document.Parsed | Document,
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
