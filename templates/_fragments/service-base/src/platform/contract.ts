import { parse } from 'yaml';
import type { Route } from './http.js';

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
const PATH_ITEM_KEYS = new Set([...METHODS, 'parameters', 'summary', 'description', 'servers', '$ref']);
const PARAMETER_LOCATIONS = ['query', 'header', 'path', 'cookie'];
const STATUS_KEY = /^([1-5]\d\d|[1-5]XX|default)$/;

type Doc = Record<string, unknown>;

/** Where in openapi.yaml something is wrong, and what. */
export class ContractError extends Error {
  constructor(readonly problems: string[]) {
    super(`openapi.yaml does not match the service:\n  ${problems.join('\n  ')}`);
    this.name = 'ContractError';
  }
}

/** Parses openapi.yaml; YAML errors come back with their line and column. */
export function parseOpenApi(text: string): unknown {
  try {
    return parse(text, { maxAliasCount: 100, uniqueKeys: true, customTags: [] });
  } catch (error) {
    throw new ContractError([`(yaml): ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`]);
  }
}

const isMap = (v: unknown): v is Doc => typeof v === 'object' && v !== null && !Array.isArray(v);
const at = (path: string, key: string) => (/^[A-Za-z_$][\w$-]*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`);

/** Structural checks of an OpenAPI 3 document; each problem is prefixed with its path. */
export function validateOpenApi(doc: unknown): string[] {
  const problems: string[] = [];
  const fail = (path: string, message: string) => problems.push(`${path}: ${message}`);
  if (!isMap(doc)) return ['(root): must be a mapping'];
  if (typeof doc.openapi !== 'string' || !/^3\.\d+\.\d+$/.test(doc.openapi)) fail('openapi', 'must be a version string like "3.0.3"');
  if (!isMap(doc.info)) fail('info', 'must be a mapping with title and version');
  else {
    if (typeof doc.info.title !== 'string') fail('info.title', 'must be a string');
    if (typeof doc.info.version !== 'string') fail('info.version', 'must be a string');
  }
  if (!isMap(doc.paths)) {
    fail('paths', 'must be a mapping');
  } else {
    const operationIds = new Map<string, string>();
    for (const [path, item] of Object.entries(doc.paths)) {
      checkPathItem(at('paths', path), path, item, operationIds, fail);
    }
  }
  if (doc.components !== undefined && !isMap(doc.components)) fail('components', 'must be a mapping');
  checkRefs(doc, doc, '', fail);
  return problems;
}

function checkPathItem(
  where: string,
  path: string,
  item: unknown,
  operationIds: Map<string, string>,
  fail: (path: string, message: string) => void,
) {
  if (!path.startsWith('/')) fail(where, 'path must start with /');
  if (!isMap(item)) return fail(where, 'must be a mapping');
  const shared = Array.isArray(item.parameters) ? item.parameters : [];
  for (const [key, value] of Object.entries(item)) {
    if (!PATH_ITEM_KEYS.has(key) && !key.startsWith('x-')) fail(at(where, key), 'is not an HTTP method or path item field');
    if (!METHODS.includes(key)) continue;
    const op = at(where, key);
    if (!isMap(value)) {
      fail(op, 'must be a mapping');
      continue;
    }
    checkOperation(op, value, fail);
    if (typeof value.operationId === 'string') {
      const other = operationIds.get(value.operationId);
      if (other) fail(`${op}.operationId`, `"${value.operationId}" is already used by ${other}`);
      operationIds.set(value.operationId, op);
    }
    const params = [...shared, ...(Array.isArray(value.parameters) ? value.parameters : [])];
    const declared = new Set(params.filter(p => isMap(p) && p.in === 'path').map(p => (p as Doc).name));
    for (const [, name] of path.matchAll(/\{([^}]+)\}/g)) {
      if (!declared.has(name)) fail(`${op}.parameters`, `path parameter "${name}" is not declared`);
    }
  }
  if (item.parameters !== undefined) checkParameters(at(where, 'parameters'), item.parameters, fail);
}

function checkOperation(op: string, value: Doc, fail: (path: string, message: string) => void) {
  if (value.operationId !== undefined && typeof value.operationId !== 'string') fail(`${op}.operationId`, 'must be a string');
  if (!isMap(value.responses) || Object.keys(value.responses).length === 0) {
    fail(`${op}.responses`, 'must be a mapping with at least one response');
  } else {
    for (const [status, response] of Object.entries(value.responses)) {
      const where = at(`${op}.responses`, status);
      if (!STATUS_KEY.test(status)) fail(where, 'must be an HTTP status code, 1XX-5XX or default');
      if (!isMap(response)) fail(where, 'must be a mapping');
      else if (response.$ref === undefined && typeof response.description !== 'string') fail(`${where}.description`, 'is required');
    }
  }
  if (value.parameters !== undefined) checkParameters(`${op}.parameters`, value.parameters, fail);
  if (value.requestBody !== undefined) {
    const body = value.requestBody;
    if (!isMap(body) || (body.$ref === undefined && !isMap(body.content))) fail(`${op}.requestBody`, 'must be a mapping with content');
  }
}

function checkParameters(where: string, params: unknown, fail: (path: string, message: string) => void) {
  if (!Array.isArray(params)) return fail(where, 'must be a list');
  params.forEach((p, i) => {
    const here = `${where}[${i}]`;
    if (!isMap(p)) return fail(here, 'must be a mapping');
    if (p.$ref !== undefined) return;
    if (typeof p.name !== 'string') fail(`${here}.name`, 'must be a string');
    if (!PARAMETER_LOCATIONS.includes(String(p.in))) fail(`${here}.in`, `must be one of ${PARAMETER_LOCATIONS.join(', ')}`);
    if (p.in === 'path' && p.required !== true) fail(`${here}.required`, 'must be true for a path parameter');
  });
}

function checkRefs(root: Doc, node: unknown, where: string, fail: (path: string, message: string) => void) {
  if (Array.isArray(node)) return node.forEach((v, i) => checkRefs(root, v, `${where}[${i}]`, fail));
  if (!isMap(node)) return;
  for (const [key, value] of Object.entries(node)) {
    const here = where ? at(where, key) : key;
    if (key === '$ref' && typeof value === 'string' && !resolves(root, value)) fail(here, `${value} does not resolve`);
    else checkRefs(root, value, here, fail);
  }
}

function resolves(root: Doc, ref: string): boolean {
  if (!ref.startsWith('#/')) return true; // external references are outside this check
  let node: unknown = root;
  for (const raw of ref.slice(2).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (!isMap(node) || !Object.prototype.hasOwnProperty.call(node, key)) return false;
    node = node[key];
  }
  return true;
}

/** `/invoices/:id` as OpenAPI writes it: `/invoices/{id}`. */
export function toOpenApiPath(path: string): string {
  return path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
}

/**
 * Checks openapi.yaml against the served routes: valid structure, every route documented, every
 * documented operation served (by the routes or by the platform's own paths).
 */
export function checkContract(openapiText: string, routes: Route[], platformPaths: string[]): void {
  const doc = parseOpenApi(openapiText);
  const problems = validateOpenApi(doc);
  if (problems.length > 0) throw new ContractError(problems);
  const paths = (doc as { paths: Record<string, Doc> }).paths;
  const served = new Set(routes.map(r => `${r.method} ${toOpenApiPath(r.path)}`));
  for (const path of platformPaths) served.add(`GET ${path}`);
  for (const route of routes) {
    const documented = paths[toOpenApiPath(route.path)]?.[route.method.toLowerCase()];
    if (!documented) problems.push(`${at('paths', toOpenApiPath(route.path))}.${route.method.toLowerCase()}: route ${route.operationId} (${route.method} ${route.path}) is served but not documented`);
  }
  for (const [path, item] of Object.entries(paths)) {
    for (const method of Object.keys(item).filter(k => METHODS.includes(k))) {
      if (!served.has(`${method.toUpperCase()} ${path}`)) problems.push(`${at('paths', path)}.${method}: documented but not served`);
    }
  }
  if (problems.length > 0) throw new ContractError(problems);
}
