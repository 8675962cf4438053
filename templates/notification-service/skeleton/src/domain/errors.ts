import { HttpError } from '@paver/service-runtime';

/** Root of this service's domain errors; each maps to one HTTP status and a stable code. */
export class NotificationError extends HttpError {}

/** The request body or a parameter is malformed. */
export class InvalidRequestError extends NotificationError {
  constructor(message: string) {
    super(400, 'invalid_request', message);
  }
}

/** A template, recipient or message that the request names does not exist. */
export class NotFoundError extends NotificationError {
  constructor(message: string) {
    super(404, 'not_found', message);
  }
}

/** A template needs a variable that the request did not supply. */
export class MissingVariableError extends NotificationError {
  constructor(readonly variables: readonly string[], templateName: string) {
    super(
      422,
      'missing_variable',
      `template ${templateName} needs variable${variables.length > 1 ? 's' : ''} ${variables.map(v => `'${v}'`).join(', ')}`,
    );
  }
}

/** The recipient has no address for the channel (no e-mail for email, no phone for sms). */
export class UndeliverableError extends NotificationError {
  constructor(message: string) {
    super(422, 'undeliverable', message);
  }
}

/** An Idempotency-Key was used before with a different request. */
export class IdempotencyConflictError extends NotificationError {
  constructor(key: string) {
    super(409, 'idempotency_key_reused', `Idempotency-Key '${key}' was already used with a different request`);
  }
}

/** The state of a resource does not allow the operation (e.g. retrying a message that is not dead). */
export class ConflictError extends NotificationError {
  constructor(message: string) {
    super(409, 'conflict', message);
  }
}
