/** An OpenSLO document that cannot be used; the message names the file, the object and the field. */
export class SloError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SloError';
  }
}
