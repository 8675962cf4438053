import { validateAnswers } from './answers';
import { AnswersInvalidError } from './errors';
import { JsonSchema, secretFields } from './schema';
import type { LoadedTemplate } from './template';

/** One answer field as a prompt: what the CLI and the Yeoman generator both ask. */
export interface FieldPrompt {
  name: string;
  /** input: free text or number; select: an enum; confirm: a boolean. */
  kind: 'input' | 'select' | 'confirm';
  type: 'string' | 'number' | 'integer' | 'boolean';
  /** `title` of the field, or its name. */
  message: string;
  description?: string;
  default?: unknown;
  choices?: readonly unknown[];
  required: boolean;
  /** Ask without echo; never write it down. */
  secret: boolean;
}

/** The template's top-level fields, in page order, as prompts. Object and array fields are skipped. */
export function describeFields(template: LoadedTemplate): FieldPrompt[] {
  const properties = (template.parameters.properties ?? {}) as Record<
    string,
    JsonSchema
  >;
  const required = new Set(template.parameters.required as string[]);
  const secrets = new Set(secretFields(template.parameters));
  return Object.entries(properties).flatMap(([name, schema]) => {
    const type = scalarType(schema);
    if (!type) return [];
    const choices = Array.isArray(schema.enum) ? schema.enum : undefined;
    const prompt: FieldPrompt = {
      name,
      kind: promptKind(type, choices),
      type,
      message: typeof schema.title === 'string' ? schema.title : name,
      required: required.has(name),
      secret: secrets.has(name),
    };
    if (typeof schema.description === 'string')
      prompt.description = schema.description;
    if (schema.default !== undefined) prompt.default = schema.default;
    if (choices) prompt.choices = choices;
    return [prompt];
  });
}

/**
 * Checks one field's value with the same rules as validateAnswers (schema and service name).
 * Returns the message for that field, or undefined when it is acceptable.
 */
export function validateField(
  template: LoadedTemplate,
  field: string,
  value: unknown,
): string | undefined {
  try {
    validateAnswers(template, { [field]: value });
    return undefined;
  } catch (error) {
    if (!(error instanceof AnswersInvalidError)) throw error;
    const own = error.issues.filter(i => i.field === `answers.${field}`);
    return own.length > 0 ? own.map(i => i.message).join('; ') : undefined;
  }
}

/**
 * Turns text (from `--set key=value` or a prompt) into the field's declared type.
 * Unknown fields and strings stay text; ajv then reports anything that does not fit.
 */
export function coerceFieldValue(
  template: LoadedTemplate,
  field: string,
  text: string,
): unknown {
  const properties = (template.parameters.properties ?? {}) as Record<
    string,
    JsonSchema
  >;
  const schema = Object.prototype.hasOwnProperty.call(properties, field)
    ? properties[field]
    : undefined;
  const type = schema && scalarType(schema);
  if (type === 'boolean' && (text === 'true' || text === 'false'))
    return text === 'true';
  if (
    (type === 'number' || type === 'integer') &&
    text.trim() !== '' &&
    !Number.isNaN(Number(text))
  ) {
    return Number(text);
  }
  return text;
}

function scalarType(schema: JsonSchema): FieldPrompt['type'] | undefined {
  const t = schema?.type;
  if (t === 'string' || t === 'number' || t === 'integer' || t === 'boolean')
    return t;
  // Backstage allows an untyped field with an enum; treat it as text.
  return t === undefined && Array.isArray(schema?.enum) ? 'string' : undefined;
}

function promptKind(
  type: unknown,
  choices: unknown[] | undefined,
): FieldPrompt['kind'] {
  if (type === 'boolean') return 'confirm';
  return choices ? 'select' : 'input';
}
