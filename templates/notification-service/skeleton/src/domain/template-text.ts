import { InvalidRequestError, MissingVariableError } from './errors.js';

// `{{ name }}`: the only syntax. Rendering is one pass of plain substitution: no helpers, no
// expressions, no property paths, so a template can never run code or reach a prototype.
const PLACEHOLDER = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;
const ANY_BRACES = /\{\{|\}\}/;

export type TemplateVariables = Readonly<Record<string, string | number>>;

/** Lists the variables a template text uses, in first-use order; refuses malformed placeholders. */
export function variablesOf(text: string, field: string): string[] {
  const names: string[] = [];
  for (const match of text.matchAll(PLACEHOLDER)) {
    if (!names.includes(match[1])) names.push(match[1]);
  }
  const leftover = text.replace(PLACEHOLDER, '');
  if (ANY_BRACES.test(leftover)) {
    throw new InvalidRequestError(
      `${field} has a malformed placeholder '${excerptAround(leftover)}'; use {{ name }} with letters, digits and _`,
    );
  }
  return names;
}

/**
 * Substitutes every placeholder. Values are inserted as text and never scanned again, so an answer
 * containing `{{ x }}` stays literally `{{ x }}`. Only own properties count as supplied.
 */
export function renderText(text: string, variables: TemplateVariables, templateName: string): string {
  const missing = variablesOf(text, templateName).filter(name => !Object.hasOwn(variables, name));
  if (missing.length > 0) throw new MissingVariableError(missing, templateName);
  return text.replace(PLACEHOLDER, (_, name: string) => String(variables[name]));
}

/** Validates a request's `variables` object: a flat map of strings and finite numbers. */
export function parseVariables(value: unknown): TemplateVariables {
  if (value === undefined) return {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InvalidRequestError('variables must be an object of strings and numbers');
  }
  const out: Record<string, string | number> = Object.create(null);
  for (const [name, v] of Object.entries(value)) {
    if (typeof v !== 'string' && !(typeof v === 'number' && Number.isFinite(v))) {
      throw new InvalidRequestError(`variables.${name} must be a string or a number`);
    }
    out[name] = v;
  }
  return out;
}

/** The offending braces and what follows, up to the closing `}}` (or 30 characters). */
function excerptAround(text: string): string {
  const at = text.search(ANY_BRACES);
  const close = text.indexOf('}}', at + 2);
  const end = close >= 0 && close - at <= 30 ? close + 2 : at + 30;
  return text.slice(at, end);
}
