import type { Principal } from './bearer.js';
import { HttpError } from './errors.js';

/** A request as a handler sees it, already validated against its operation in openapi.yaml. */
export interface HttpRequest {
  method: string;
  path: string;
  /** The operation's `operationId`. */
  operationId: string;
  /** Path parameters, decoded: `/invoices/{id}` gives `{ id }`. */
  params: Record<string, string>;
  query: URLSearchParams;
  /** Lower-cased header names; repeated headers joined with ", ". */
  headers: Record<string, string | undefined>;
  /** Parsed JSON body, or undefined when the request had none. */
  body: unknown;
  /** The body's bytes as received (a signature check needs them, not the re-serialized JSON). */
  rawBody: Buffer;
  /** W3C trace id of the request's span (32 hex characters). */
  traceId: string;
  /** Who presented the bearer token, on an operation whose scheme the runtime verifies. */
  principal?: Principal;
}

/** What a handler returns. A string body with a content-type header is sent as is; anything else as JSON. */
export interface HttpResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export type Handler = (req: HttpRequest) => Promise<HttpResponse>;

/** One handler per `operationId` in openapi.yaml, no more and no fewer. */
export type Handlers = Record<string, Handler>;

/** The request body as a JSON object, or a 400 saying what was sent instead. */
export function jsonObject(body: unknown): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new HttpError(
      400,
      'invalid_body',
      'the request body must be a JSON object',
    );
  }
  return body as Record<string, unknown>;
}

/** A required string field of a JSON object, or a 400 naming the field. */
export function stringField(
  body: Record<string, unknown>,
  field: string,
  limits: { minLength?: number; maxLength?: number } = {},
): string {
  const value = body[field];
  const { minLength = 1, maxLength = 1000 } = limits;
  if (typeof value !== 'string') {
    throw new HttpError(400, 'invalid_body', `"${field}" must be a string`);
  }
  if (value.length < minLength || value.length > maxLength) {
    throw new HttpError(
      400,
      'invalid_body',
      `"${field}" must be ${minLength} to ${maxLength} characters long`,
    );
  }
  return value;
}
