import { readFileSync } from 'node:fs';
import { Validator } from '@seriousme/openapi-schema-validator';
import { parse } from 'yaml';
import { ContractError } from './errors.js';

/** An OpenAPI 3 document as parsed from YAML. */
export interface OpenApiDocument {
  openapi: string;
  paths: Record<string, Record<string, unknown>>;
  [key: string]: unknown;
}

/** The operation keys of an OpenAPI path item. */
export const METHODS = [
  'get',
  'put',
  'post',
  'delete',
  'options',
  'head',
  'patch',
];

/** The runtime's own operations: every openapi.yaml documents them, the runtime serves them. */
export const RUNTIME_OPERATIONS = {
  healthz: 'GET /healthz',
  readyz: 'GET /readyz',
  metrics: 'GET /metrics',
} as const;

/** Reads and parses openapi.yaml; YAML errors come back with their line and column. */
export function readOpenApi(file: string): OpenApiDocument {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ContractError([`${file}: ${(error as Error).message}`]);
  }
  try {
    return parse(text, {
      maxAliasCount: 100,
      uniqueKeys: true,
    }) as OpenApiDocument;
  } catch (error) {
    throw new ContractError([
      `(yaml): ${(error as Error).message.split('\n')[0]}`,
    ]);
  }
}

/** Every operation in the document as `operationId → "METHOD /path"`. */
export function operations(document: OpenApiDocument): Map<string, string> {
  const found = new Map<string, string>();
  for (const [path, item] of Object.entries(document.paths ?? {})) {
    for (const method of METHODS.filter(m => m in item)) {
      const operation = item[method] as { operationId?: unknown };
      const where = `${method.toUpperCase()} ${path}`;
      found.set(
        typeof operation?.operationId === 'string'
          ? operation.operationId
          : `(${where})`,
        where,
      );
    }
  }
  return found;
}

/**
 * The contract check, run at every start and by each service's contract test: the document is
 * valid OpenAPI (JSON-schema validated, each problem with its JSON pointer), every operation has
 * an operationId and a handler, every handler has an operation, and the runtime's own operations
 * are documented where the runtime serves them.
 */
export async function checkContract(
  document: OpenApiDocument,
  handlerIds: Iterable<string>,
): Promise<void> {
  const validator = new Validator();
  const result = await validator.validate(
    structuredClone(document) as Record<string, unknown>,
  );
  if (!result.valid) {
    const errors = Array.isArray(result.errors)
      ? result.errors
      : [result.errors];
    throw new ContractError(
      errors.map(
        e =>
          `${(e as { instancePath?: string }).instancePath || '(root)'}: ${
            (e as { message?: string }).message ?? JSON.stringify(e)
          }`,
      ),
    );
  }
  const problems: string[] = [];
  const documented = operations(document);
  const handlers = new Set(handlerIds);
  for (const [id, where] of documented) {
    if (id.startsWith('(')) problems.push(`${where}: has no operationId`);
    else if (!handlers.has(id))
      problems.push(
        `${where}: operation ${id} is documented but has no handler`,
      );
  }
  for (const id of handlers) {
    if (!documented.has(id))
      problems.push(`handler ${id} has no operation in openapi.yaml`);
  }
  for (const [id, where] of Object.entries(RUNTIME_OPERATIONS)) {
    if (documented.get(id) !== where)
      problems.push(
        `${where}: must be documented as operation ${id} (the runtime serves it)`,
      );
  }
  if (problems.length > 0) throw new ContractError(problems);
}

/** Methods the document allows on a concrete path, for a 405's `allow` header. */
export function allowedMethods(
  document: OpenApiDocument,
  path: string,
): string[] {
  const allowed = new Set<string>();
  for (const [pattern, item] of Object.entries(document.paths ?? {})) {
    const regex = new RegExp(
      `^${pattern
        .replace(/[.*+?^$()|[\]\\]/g, '\\$&')
        .replace(/\{[^}]+\}/g, '[^/]+')}$`,
    );
    if (!regex.test(path)) continue;
    for (const method of METHODS.filter(m => m in item))
      allowed.add(method.toUpperCase());
  }
  return [...allowed].sort();
}
