import { createHash } from 'node:crypto';
import {
  HttpError,
  type Db,
  type HttpRequest,
  type HttpResponse,
} from '@paver/service-runtime';

export const IDEMPOTENCY_HEADER = 'idempotency-key';
// Printable ASCII without spaces: fits a UUID or a caller's own request id, and logs cleanly.
const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

export type TransactionalHandler = (
  tx: Db,
  req: HttpRequest,
) => Promise<HttpResponse>;

/**
 * Wraps a POST handler so that the `Idempotency-Key` header makes retries safe.
 *
 * The key row is inserted in the same transaction as the handler's effects and its response:
 * a key is either absent or holds a committed response, never half-done. A concurrent request
 * with the same key blocks on that insert until the first commits, then replays its response.
 * A handler that throws rolls everything back, key included, so a corrected retry can run.
 */
export function idempotent(
  db: Db,
  handler: TransactionalHandler,
): (req: HttpRequest) => Promise<HttpResponse> {
  return req => {
    const key = idempotencyKey(req);
    const hash = requestHash(req);
    return db.transaction(async tx => {
      const claimed = await tx.query(
        `INSERT INTO idempotency_keys (key, request_hash, method, path) VALUES ($1, $2, $3, $4)
         ON CONFLICT (key) DO NOTHING RETURNING key`,
        [key, hash, req.method, req.path],
      );
      if (claimed.length === 0) return replay(tx, key, hash);
      const response = await handler(tx, req);
      await tx.query(
        `UPDATE idempotency_keys SET response_status = $2, response_headers = $3, response_body = $4 WHERE key = $1`,
        [
          key,
          response.status,
          JSON.stringify(response.headers ?? {}),
          JSON.stringify(response.body ?? null),
        ],
      );
      return response;
    });
  };
}

function idempotencyKey(req: HttpRequest): string {
  const key = req.headers[IDEMPOTENCY_HEADER];
  if (key === undefined) {
    throw new HttpError(
      400,
      'idempotency_key_required',
      'POST requests need an Idempotency-Key header',
    );
  }
  if (!KEY_PATTERN.test(key)) {
    throw new HttpError(
      400,
      'invalid_idempotency_key',
      'Idempotency-Key must be 1 to 255 printable ASCII characters',
    );
  }
  return key;
}

async function replay(
  tx: Db,
  key: string,
  hash: string,
): Promise<HttpResponse> {
  const [stored] = await tx.query<StoredResponse>(
    'SELECT request_hash, response_status, response_headers, response_body FROM idempotency_keys WHERE key = $1',
    [key],
  );
  if (stored.request_hash !== hash) {
    throw new HttpError(
      409,
      'idempotency_key_reused',
      'this Idempotency-Key was already used for a different request (method, path or body differ)',
    );
  }
  return {
    status: stored.response_status,
    headers: {
      ...JSON.parse(stored.response_headers),
      'idempotent-replayed': 'true',
    },
    body: JSON.parse(stored.response_body),
  };
}

/** SHA-256 over method, path and the body in canonical form (key order does not matter). */
export function requestHash(
  req: Pick<HttpRequest, 'method' | 'path' | 'body'>,
): string {
  return createHash('sha256')
    .update(`${req.method} ${req.path}\n`)
    .update(canonicalJson(req.body ?? null))
    .digest('hex');
}

/** JSON with object keys sorted at every level, so equal documents give equal bytes. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.keys(value)
      .sort()
      .map(
        k =>
          `${JSON.stringify(k)}:${canonicalJson(
            (value as Record<string, unknown>)[k],
          )}`,
      );
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value);
}

interface StoredResponse {
  request_hash: string;
  response_status: number;
  response_headers: string;
  response_body: string;
}
