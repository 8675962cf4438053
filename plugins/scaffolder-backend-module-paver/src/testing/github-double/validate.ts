import fs from 'node:fs';
import path from 'node:path';

// Request bodies are checked against GitHub's REST description (@octokit/openapi): a body with a
// missing required field, a field GitHub does not know, or a value outside an enum gets the 422
// GitHub would send. Only the top level is checked; that is where our requests can go wrong.

interface PropertySchema {
  type?: string;
  enum?: unknown[];
  nullable?: boolean;
}
interface BodySchema {
  properties?: Record<string, PropertySchema>;
  required?: string[];
}
type Spec = {
  paths: Record<
    string,
    Record<
      string,
      { requestBody?: { content: Record<string, { schema: BodySchema }> } }
    >
  >;
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
