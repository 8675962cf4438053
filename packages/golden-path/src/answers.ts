import Ajv, { ErrorObject, ValidateFunction } from 'ajv';
import { AnswerIssue, AnswersInvalidError } from './errors';
import { fieldSchema, secretFields, stripUiKeys } from './schema';
import type { LoadedTemplate } from './template';
import { parseYamlSafe } from './yaml';

/** Answers after validation: plain data, defaults applied. */
export type Answers = Record<string, unknown>;

/** The service-name rule every golden path shares (templates/README.md). */
export const SERVICE_NAME_PATTERN = /^[a-z][a-z0-9-]{1,38}[a-z0-9]$/;

/** Names a service may not take: they collide with platform routes, hosts or accounts. */
export const RESERVED_NAMES: readonly string[] = [
  'admin',
  'api',
  'www',
  'root',
  'system',
  'internal',
  'paver',
  'backstage',
];

// strict: false because Backstage schemas carry non-standard keywords (enumNames, …).
const ajv = new Ajv({ allErrors: true, useDefaults: true, strict: false });
const validators = new WeakMap<LoadedTemplate, ValidateFunction>();

/**
 * Validates answers against the template's merged parameters and the service-name rule.
 * Returns a fresh copy with defaults applied; throws AnswersInvalidError naming each field.
 */
export function validateAnswers(
  template: LoadedTemplate,
  answers: unknown,
): Answers {
  if (
    typeof answers !== 'object' ||
    answers === null ||
    Array.isArray(answers)
  ) {
    throw new AnswersInvalidError([
      { field: 'answers', message: 'must be a mapping' },
    ]);
  }
  const copy = plainCopy(answers, 'answers') as Answers;
  const validate = validatorFor(template);
  const issues = validate(copy) ? [] : (validate.errors ?? []).map(toIssue);
  if (
    fieldSchema(template.parameters, 'name') &&
    !issues.some(i => i.field === 'answers.name')
  ) {
    issues.push(...serviceNameIssues(copy.name));
  }
  if (issues.length > 0) throw new AnswersInvalidError(dedupe(issues));
  return copy;
}

/** Issues with a service name, empty when it is acceptable. */
export function serviceNameIssues(name: unknown): AnswerIssue[] {
  const field = 'answers.name';
  if (typeof name !== 'string') return [{ field, message: 'is required' }];
  if (!SERVICE_NAME_PATTERN.test(name)) {
    return [{ field, message: `must match ${SERVICE_NAME_PATTERN.source}` }];
  }
  if (RESERVED_NAMES.includes(name)) {
    return [{ field, message: `"${name}" is reserved` }];
  }
  return [];
}

/** Parses an answers file (YAML) with the safe parser; errors are answers errors. */
export function parseAnswersYaml(text: unknown): Answers {
  const value = parseYamlSafe(text, {
    label: 'answers file',
    errorType: plainAnswersError,
  });
  if (value === null || value === undefined) return {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new AnswersInvalidError([
      { field: 'answers', message: 'must be a mapping' },
    ]);
  }
  return value as Answers;
}

/** The answers that may be written down: everything except the template's secret fields. */
export function publicAnswers(
  template: LoadedTemplate,
  answers: Answers,
): Answers {
  const secrets = new Set(secretFields(template.parameters));
  return Object.fromEntries(
    Object.entries(answers).filter(([key]) => !secrets.has(key)),
  );
}

// Adapts the YAML parser's (message) constructor to AnswersInvalidError's issue list.
class plainAnswersError extends AnswersInvalidError {
  constructor(message: string, options?: { cause?: unknown }) {
    super([{ field: 'answers', message }], options);
    this.name = 'AnswersInvalidError';
  }
}

function validatorFor(template: LoadedTemplate): ValidateFunction {
  let validate = validators.get(template);
  if (!validate) {
    validate = ajv.compile(stripUiKeys(template.parameters) as object);
    validators.set(template, validate);
  }
  return validate;
}

function toIssue(error: ErrorObject): AnswerIssue {
  const path = error.instancePath.split('/').slice(1).map(decodePointer);
  if (error.keyword === 'required')
    path.push(String(error.params.missingProperty));
  const field = ['answers', ...path].join('.');
  switch (error.keyword) {
    case 'required':
      return { field, message: 'is required' };
    case 'pattern':
      return { field, message: `must match ${error.params.pattern}` };
    case 'enum':
      return {
        field,
        message: `must be one of: ${(
          error.params.allowedValues as unknown[]
        ).join(', ')}`,
      };
    default:
      return { field, message: error.message ?? error.keyword };
  }
}

const decodePointer = (s: string) => s.replace(/~1/g, '/').replace(/~0/g, '~');

function dedupe(issues: AnswerIssue[]): AnswerIssue[] {
  const seen = new Set<string>();
  return issues.filter(i => {
    const key = `${i.field}\0${i.message}`;
    return seen.has(key) ? false : (seen.add(key), true);
  });
}

/** Deep copy into plain objects and arrays; refuses `__proto__` keys and non-data values. */
function plainCopy(value: unknown, field: string): unknown {
  if (value === null || ['string', 'number', 'boolean'].includes(typeof value))
    return value;
  if (Array.isArray(value))
    return value.map((v, i) => plainCopy(v, `${field}[${i}]`));
  if (typeof value === 'object' && isPlainObject(value)) {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value)) {
      // An undefined answer is an answer not given (prompt libraries produce them).
      if ((value as Record<string, unknown>)[key] === undefined) continue;
      if (key === '__proto__') {
        throw new AnswersInvalidError([
          { field: `${field}.__proto__`, message: 'is not allowed' },
        ]);
      }
      out[key] = plainCopy(
        (value as Record<string, unknown>)[key],
        `${field}.${key}`,
      );
    }
    return out;
  }
  throw new AnswersInvalidError([
    { field, message: `must be plain data, got ${typeof value}` },
  ]);
}

function isPlainObject(value: object): boolean {
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}
