/** A message that is not a Paver event envelope: it is dead-lettered at once, never retried. */
export class MalformedEventError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MalformedEventError';
  }
}

/** An AsyncAPI document the events cannot be read from; lists every problem, with the file. */
export class EventContractError extends Error {
  constructor(readonly file: string, readonly problems: string[]) {
    super(`${file}: ${problems.join('; ')}`);
    this.name = 'EventContractError';
  }
}

/** An event whose data does not match its AsyncAPI message payload. */
export class EventPayloadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EventPayloadError';
  }
}
