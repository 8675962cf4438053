/** One error as ajv reports it with `verbose: true`. */
interface AjvError {
  keyword: string;
  instancePath: string;
  message?: string;
  params: Record<string, unknown>;
  parentSchema?: Record<string, unknown>;
}

/**
 * `x-error-code` on a schema in openapi.yaml: the code a client gets when that value is wrong,
 * instead of the generic `invalid_body` (`weak_password`), or per case
 * `{ missing: idempotency_key_required, invalid: invalid_idempotency_key }`.
 */
type ErrorCode = string | { missing?: string; invalid?: string };

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
 * missing field as what it must be (`"password" must be a string`), and the code the schema
 * names in `x-error-code`, else `invalid_body`, `invalid_path`, `invalid_query` or
 * `invalid_header`.
 */
export function validationError(
  errors: AjvError[],
  part: string,
): { code: string; message: string } {
  const error = errors.find(e => e.keyword === 'errorMessage') ?? errors[0];
  const fallback = PART_CODES[part] ?? 'invalid_request';
  if (!error)
    return { code: fallback, message: `the request ${part} is invalid` };
  if (error.keyword === 'required') {
    const name = String(error.params.missingProperty);
    const property = (
      error.parentSchema?.properties as
        | Record<string, Record<string, unknown>>
        | undefined
    )?.[name];
    const code = codeOf(
      property?.['x-error-code'] as ErrorCode | undefined,
      'missing',
    );
    const type = A_TYPE[String(property?.type)];
    const field = fieldName([...segments(error.instancePath), name], part);
    return {
      code: code ?? fallback,
      message: type ? `"${field}" must be ${type}` : `"${field}" is required`,
    };
  }
  const code = codeOf(
    error.parentSchema?.['x-error-code'] as ErrorCode | undefined,
    'invalid',
  );
  const path = segments(error.instancePath);
  const subject =
    path.length > 0
      ? `"${fieldName(path, part)}"`
      : `the request ${part === 'querystring' ? 'query' : part}`;
  return {
    code: code ?? fallback,
    message: `${subject} ${error.message ?? 'is invalid'}`,
  };
}

function codeOf(
  code: ErrorCode | undefined,
  which: 'missing' | 'invalid',
): string | undefined {
  if (typeof code === 'string') return code;
  return code?.[which];
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
