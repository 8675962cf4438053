/** A message that is not a Paver event envelope: it is dead-lettered at once, never retried. */
export class MalformedEventError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MalformedEventError';
  }
}
