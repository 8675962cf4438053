import fs from 'node:fs';
import path from 'node:path';

// Request bodies are checked against GitHub's REST description (@octokit/openapi): a body with a
// missing required field, a field GitHub does not know, or a value outside an enum gets the 422
// GitHub would send. Only the top level is checked; that is where our requests can go wrong.
// The double's answers are checked against the same description in double.test.ts
// (`responseProblems`), all the way down.

interface PropertySchema {
  type?: string;
  enum?: unknown[];
  nullable?: boolean;
}
interface BodySchema {
  properties?: Record<string, PropertySchema>;
  required?: string[];
}
interface Schema extends PropertySchema {
  $ref?: string;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  oneOf?: Schema[];
  anyOf?: Schema[];
  allOf?: Schema[];
}
type Content = Record<string, { schema: Schema }>;
interface Response {
  $ref?: string;
  content?: Content;
}
type Spec = {
  paths: Record<
    string,
    Record<
      string,
      {
        requestBody?: { content: Record<string, { schema: BodySchema }> };
        responses?: Record<string, Response>;
      }
    >
  >;
  components: {
    schemas: Record<string, Schema>;
    responses: Record<string, Response>;
  };
};

let spec: Spec | undefined;

function loadSpec(): Spec {
  if (!spec) {
    const pkg = require.resolve('@octokit/openapi/package.json');
    const file = path.join(
      path.dirname(pkg),
      'generated',
      'api.github.com.json',
    );
    spec = JSON.parse(fs.readFileSync(file, 'utf8')) as Spec;
  }
  return spec;
}

function typeOf(value: unknown): string {
  if (Array.isArray(value)) return 'array';
  if (Number.isInteger(value)) return 'integer';
  return typeof value;
}

function fits(schema: PropertySchema, value: unknown): boolean {
  if (value === null) return schema.nullable === true;
  if (schema.enum && !schema.enum.includes(value)) return false;
  if (!schema.type) return true;
  const actual = typeOf(value);
  return (
    actual === schema.type || (schema.type === 'number' && actual === 'integer')
  );
}

/** Problems with `body` for the operation at `route` (e.g. "/orgs/{org}/repos"), [] when valid. */
export function bodyProblems(
  method: string,
  route: string,
  body: unknown,
): string[] {
  const operation = loadSpec().paths[route]?.[method.toLowerCase()];
  const schema = operation?.requestBody?.content['application/json']?.schema;
  if (!schema)
    throw new Error(`the double has no schema for ${method} ${route}`);
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return ['Problems parsing JSON'];
  }
  const record = body as Record<string, unknown>;
  const props = schema.properties ?? {};
  const problems = (schema.required ?? [])
    .filter(key => !(key in record))
    .map(key => `"${key}" wasn't supplied.`);
  for (const [key, value] of Object.entries(record)) {
    const prop = props[key];
    if (!prop) problems.push(`"${key}" is not a permitted key.`);
    else if (!fits(prop, value))
      problems.push(`For '${key}', ${JSON.stringify(value)} is not valid.`);
  }
  return problems;
}

function resolve<T extends { $ref?: string }>(node: T): T {
  if (!node.$ref) return node;
  const [, , kind, name] = node.$ref.split('/');
  const components = loadSpec().components as unknown as Record<
    string,
    Record<string, T>
  >;
  return resolve(components[kind][name]);
}

/** Merges an allOf into one schema: the union of its properties and required fields. */
function flatten(schema: Schema): Schema {
  const s = resolve(schema);
  if (!s.allOf) return s;
  const parts = s.allOf.map(flatten);
  return {
    ...s,
    type: parts.find(p => p.type)?.type ?? s.type,
    properties: Object.assign(
      {},
      s.properties,
      ...parts.map(p => p.properties),
    ),
    required: [...(s.required ?? []), ...parts.flatMap(p => p.required ?? [])],
  };
}

/** Where a documented subset is sent: no required field is checked at or below these paths. */
type Subsets = ReadonlySet<string>;

function valueProblems(
  schema: Schema,
  value: unknown,
  at: string,
  requiredAbove: boolean,
  subsets: Subsets,
): string[] {
  const s = flatten(schema);
  // "body[3].head.repo" is "body[].head.repo" whichever item of a list it is.
  const required = requiredAbove && !subsets.has(at.replace(/\[\d+\]/g, '[]'));
  const branches = s.oneOf ?? s.anyOf;
  if (branches) {
    const results = branches.map(b =>
      valueProblems(b, value, at, required, subsets),
    );
    return results.some(r => r.length === 0)
      ? []
      : [
          `${at} fits none of its ${branches.length} alternatives`,
          ...results.flat(),
        ];
  }
  if (!fits(s, value)) {
    return [
      `${at} is ${JSON.stringify(value)}, not a valid ${s.type ?? 'value'}`,
    ];
  }
  if (value === null) return [];
  if (Array.isArray(value) && s.items) {
    const items = s.items;
    return value.flatMap((v, i) =>
      valueProblems(items, v, `${at}[${i}]`, required, subsets),
    );
  }
  if (typeof value !== 'object' || !s.properties) return [];
  const record = value as Record<string, unknown>;
  const props = s.properties;
  const missing = required
    ? (s.required ?? [])
        .filter(k => !(k in record))
        .map(k => `${at}.${k} is missing`)
    : [];
  return [
    ...missing,
    ...Object.entries(record).flatMap(([k, v]) =>
      props[k]
        ? valueProblems(props[k], v, `${at}.${k}`, required, subsets)
        : [`${at}.${k} is not a field GitHub sends`],
    ),
  ];
}

/**
 * Problems with an answer of the double to `method route` (e.g. "GET", "/orgs/{org}/repos"), []
 * when GitHub's description allows it: every field is one GitHub sends, of GitHub's type or enum,
 * at every depth. `required: false` skips missing required fields, for the answers where the
 * double sends a documented subset (RepositoryShape in shapes.ts); `subsets` skips them only at
 * and below the paths given (e.g. `body.head.repo`, `body[].user` for every item of a list), so
 * the rest of a whole answer is still checked for every field GitHub requires.
 */
export function responseProblems(
  method: string,
  route: string,
  status: number,
  body: unknown,
  options: {
    required?: boolean;
    subsets?: readonly string[];
    mediaType?: string;
  } = {},
): string[] {
  const operation = loadSpec().paths[route]?.[method.toLowerCase()];
  const declared = operation?.responses?.[String(status)];
  const content = declared && resolve(declared).content;
  const schema = content?.[options.mediaType ?? 'application/json']?.schema;
  if (!schema) {
    return [`GitHub describes no ${status} answer to ${method} ${route}`];
  }
  return valueProblems(
    schema,
    body,
    'body',
    options.required ?? true,
    new Set(options.subsets),
  );
}
