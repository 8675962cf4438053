/** One error as ajv reports it with `verbose: true`. */
interface AjvError {
  keyword: string;
  instancePath: string;
  message?: string;
  params: Record<string, unknown>;
  parentSchema?: Record<string, unknown>;
}

/**
 * `x-error-code` and `x-error-message` on a schema in openapi.yaml: the code and the message a
 * client gets when that value is wrong, instead of the generic ones (`weak_password`, `"password"
 * must be 10 to 256 characters long`): one for every failure, or per case
 * `{ missing: idempotency_key_required, invalid: invalid_idempotency_key }`.
 */
type PerCase = string | { missing?: string; invalid?: string };

const PART_CODES: Record<string, string> = {
  body: 'invalid_body',
  params: 'invalid_path',
  querystring: 'invalid_query',
  headers: 'invalid_header',
};

const A_TYPE: Record<string, string> = {
  string: 'a string',
  integer: 'an integer',
  number: 'a number',
  boolean: 'a boolean',
  object: 'an object',
  array: 'a list',
};

/**
 * The 400 for a request that breaks its schema, worded the way golden-path domain code words
 * its own: the field quoted by its path (`"meters[0].unitAmountMinor" must be integer`), a
 * missing field as what it must be (`"password" must be a string`); the code is
 * `invalid_body`, `invalid_path`, `invalid_query` or `invalid_header`. A schema's
 * `x-error-code` and `x-error-message` replace either.
 */
export function validationError(
  errors: AjvError[],
  part: string,
): { code: string; message: string } {
  const [error] = errors;
  const fallback = PART_CODES[part] ?? 'invalid_request';
  if (!error)
    return { code: fallback, message: `the request ${part} is invalid` };
  const missing = error.keyword === 'required';
  const name = missing ? String(error.params.missingProperty) : undefined;
  // A missing value's own schema is the property's, under the object that requires it.
  const schema = missing
    ? (
        error.parentSchema?.properties as
          | Record<string, Record<string, unknown>>
          | undefined
      )?.[name!]
    : error.parentSchema;
  const path = [...segments(error.instancePath), ...(name ? [name] : [])];
  const subject =
    path.length > 0
      ? `"${fieldName(path, part)}"`
      : `the request ${part === 'querystring' ? 'query' : part}`;
  const type = A_TYPE[String(schema?.type)];
  let generic = `${subject} ${error.message ?? 'is invalid'}`;
  if (missing)
    generic = type ? `${subject} must be ${type}` : `${subject} is required`;
  const which = missing ? 'missing' : 'invalid';
  return {
    code:
      perCase(schema?.['x-error-code'] as PerCase | undefined, which) ??
      fallback,
    message:
      perCase(schema?.['x-error-message'] as PerCase | undefined, which) ??
      generic,
  };
}

function perCase(
  value: PerCase | undefined,
  which: 'missing' | 'invalid',
): string | undefined {
  if (typeof value === 'string') return value;
  return value?.[which];
}

const segments = (pointer: string) =>
  pointer
    .split('/')
    .slice(1)
    .map(s => s.replace(/~1/g, '/').replace(/~0/g, '~'));

// `meters/0/unitAmountMinor` → `meters[0].unitAmountMinor`; header names as sent.
function fieldName(path: string[], part: string): string {
  if (part === 'headers') return path.join('.');
  let out = '';
  for (const segment of path) {
    if (/^\d+$/.test(segment)) out += `[${segment}]`;
    else out += out ? `.${segment}` : segment;
  }
  return out;
}
