import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import type { FastifySchemaCompiler } from 'fastify';

// OpenAPI 3.1 schemas are JSON Schema 2020-12. `strict: false` lets OpenAPI's own annotations
// (`example`, `xml`, `discriminator`) and Paver's `x-error-code` / `x-error-message` through;
// `verbose` keeps the failing schema on each error, where those are read.
function ajv(options: { coerceTypes: false | 'array' }): Ajv2020 {
  const instance = new Ajv2020({
    strict: false,
    coerceTypes: options.coerceTypes,
    useDefaults: false,
    removeAdditional: false,
    verbose: true,
  });
  addFormats.default(instance);
  return instance;
}

type Schema = { properties?: Record<string, unknown>; required?: string[] };

/**
 * Fastify's validator compiler per request part. Path, query and header values arrive as
 * strings, so they are coerced to the declared type; a JSON body is validated as sent, never
 * coerced or given defaults, so a handler sees exactly what the client wrote.
 */
export function requestValidatorCompiler(): FastifySchemaCompiler<unknown> {
  const coercing = ajv({ coerceTypes: 'array' });
  const exact = ajv({ coerceTypes: false });
  return ({ schema, httpPart }) => {
    const validator = httpPart === 'body' ? exact : coercing;
    const compiled =
      httpPart === 'headers' ? lowerCaseHeaderNames(schema as Schema) : schema;
    return validator.compile(compiled as object) as ReturnType<
      FastifySchemaCompiler<unknown>
    >;
  };
}

// Requests carry lower-case header names; Fastify lower-cases a headers schema only with its
// own compiler, so openapi.yaml's `Idempotency-Key` would never match without this.
function lowerCaseHeaderNames(schema: Schema): Schema {
  return {
    ...schema,
    ...(schema.properties && {
      properties: Object.fromEntries(
        Object.entries(schema.properties).map(([name, s]) => [
          name.toLowerCase(),
          s,
        ]),
      ),
    }),
    ...(Array.isArray(schema.required) && {
      required: schema.required.map(name => name.toLowerCase()),
    }),
  };
}

/** The validator of response bodies: exact, and it never changes the payload it checks. */
export function responseValidator(): Ajv2020 {
  return ajv({ coerceTypes: false });
}
