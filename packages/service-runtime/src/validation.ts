import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import type { FastifySchemaCompiler } from 'fastify';

// OpenAPI 3.1 schemas are JSON Schema 2020-12. `strict: false` lets OpenAPI's own annotations
// (`example`, `xml`, `discriminator`) through instead of failing the compile.
const base = { strict: false, allErrors: false } as const;

function ajv(options: { coerceTypes: false | 'array' }): Ajv2020 {
  const instance = new Ajv2020({
    ...base,
    ...options,
    useDefaults: false,
    removeAdditional: false,
  });
  addFormats.default(instance);
  return instance;
}

/**
 * Fastify's validator compiler per request part. Path, query and header values arrive as
 * strings, so they are coerced to the declared type; a JSON body is validated as sent, never
 * coerced or given defaults, so a handler sees exactly what the client wrote.
 */
export function requestValidatorCompiler(): FastifySchemaCompiler<unknown> {
  const coercing = ajv({ coerceTypes: 'array' });
  const exact = ajv({ coerceTypes: false });
  return ({ schema, httpPart }) =>
    (httpPart === 'body' ? exact : coercing).compile(
      schema as object,
    ) as ReturnType<FastifySchemaCompiler<unknown>>;
}

/** The validator of response bodies: exact, and it never changes the payload it checks. */
export function responseValidator(): Ajv2020 {
  return ajv({ coerceTypes: false });
}
