import { HttpError } from './errors.js';
import type { HttpResponse } from './http.js';
import { validationError } from './validationError.js';

interface FastifyLikeError {
  code?: string;
  statusCode?: number;
  message: string;
  validation?: unknown[];
  validationContext?: string;
}

// Fastify's own errors, as the `{ error: { code, message } }` every service answers.
const FRAMEWORK_CODES: Record<string, [number, string, string?]> = {
  FST_ERR_CTP_BODY_TOO_LARGE: [413, 'payload_too_large'],
  FST_ERR_CTP_INVALID_MEDIA_TYPE: [
    415,
    'unsupported_media_type',
    'the request body must be application/json',
  ],
  FST_ERR_CTP_EMPTY_JSON_BODY: [
    400,
    'invalid_json',
    'the request body is empty',
  ],
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: [400, 'invalid_request'],
  FST_ERR_CTP_EMPTY_TYPE: [
    415,
    'unsupported_media_type',
    'the request body must be application/json',
  ],
};

const body = (code: string, message: string) => ({ error: { code, message } });

/** The answer to anything a request ended with. */
export function errorResponse(error: unknown): HttpResponse {
  // fastify-openapi-glue wraps what the security handlers threw; the first says why.
  const refused = (error as { errors?: unknown[] })?.errors?.find(
    inner => inner instanceof HttpError,
  );
  if (refused) return errorResponse(refused);
  if (error instanceof HttpError) {
    return {
      status: error.status,
      body: body(error.code, error.message),
      headers: error.headers,
    };
  }
  const framework = error as FastifyLikeError;
  if (framework?.code === 'FST_RESPONSE_VALIDATION_FAILED_VALIDATION') {
    // The handler broke the contract: its test fails here; clients see no body off the schema.
    return { status: 500, body: body('response_invalid', framework.message) };
  }
  if (framework?.validation && framework.validationContext) {
    const { code, message } = validationError(
      framework.validation as Parameters<typeof validationError>[0],
      framework.validationContext,
    );
    return { status: 400, body: body(code, message) };
  }
  const known = framework?.code ? FRAMEWORK_CODES[framework.code] : undefined;
  if (known)
    return {
      status: known[0],
      body: body(known[1], known[2] ?? framework.message),
    };
  // The cause is logged, never sent: it may name tables, hosts or data.
  return { status: 500, body: body('internal', 'internal error') };
}
