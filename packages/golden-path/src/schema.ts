import { TemplateInvalidError } from './errors';

/** A JSON Schema object as written in template.yaml (loosely typed on purpose). */
export type JsonSchema = Record<string, unknown>;

/**
 * Merges Backstage's form pages (`spec.parameters`: one object schema or a list of them)
 * into one object schema: properties in page order, `required` unioned.
 */
export function mergeParameterPages(
  parameters: unknown,
  templateName: string,
): JsonSchema {
  const pages = parameters === undefined ? [] : [parameters].flat();
  const properties: Record<string, unknown> = {};
  const required = new Set<string>();
  pages.forEach((page, index) => {
    if (typeof page !== 'object' || page === null) {
      throw new TemplateInvalidError(
        `${templateName}: spec.parameters[${index}] must be a mapping`,
      );
    }
    const { properties: props = {}, required: req = [] } = page as JsonSchema;
    if (typeof props !== 'object' || props === null || !Array.isArray(req)) {
      throw new TemplateInvalidError(
        `${templateName}: spec.parameters[${index}] needs object properties and a required list`,
      );
    }
    Object.assign(properties, props);
    req.forEach(r => required.add(String(r)));
  });
  return { type: 'object', properties, required: [...required] };
}

/** Drops every `ui:*` key (Backstage form hints), which are not JSON Schema keywords. */
export function stripUiKeys(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(stripUiKeys);
  if (typeof schema !== 'object' || schema === null) return schema;
  return Object.fromEntries(
    Object.entries(schema)
      .filter(([key]) => !key.startsWith('ui:'))
      .map(([key, value]) => [key, stripUiKeys(value)]),
  );
}

/** Top-level answer fields that are secrets (`ui:field: Secret` or `ui:widget: password`). */
export function secretFields(parameters: JsonSchema): string[] {
  const properties = (parameters.properties ?? {}) as Record<
    string,
    JsonSchema
  >;
  return Object.entries(properties)
    .filter(
      ([, p]) =>
        p && (p['ui:field'] === 'Secret' || p['ui:widget'] === 'password'),
    )
    .map(([key]) => key);
}

/** The schema of one top-level answer field, if the template declares it. */
export function fieldSchema(
  parameters: JsonSchema,
  field: string,
): JsonSchema | undefined {
  const properties = (parameters.properties ?? {}) as Record<
    string,
    JsonSchema
  >;
  return Object.prototype.hasOwnProperty.call(properties, field)
    ? properties[field]
    : undefined;
}
