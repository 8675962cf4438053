/** An error with an HTTP status; the service answers `{ error: { code, message } }`. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** Sent with the error response, e.g. `allow` on a 405 or `www-authenticate` on a 401. */
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

/** A setting that is missing or malformed; the message names the variable. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** openapi.yaml and the service's handlers disagree, or the document is not valid OpenAPI. */
export class ContractError extends Error {
  constructor(readonly problems: string[]) {
    super(
      `openapi.yaml does not match the service:\n  ${problems.join('\n  ')}`,
    );
    this.name = 'ContractError';
  }
}

/** The message of anything thrown, without its stack or any request data. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
