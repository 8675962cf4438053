/** Root of every error @paver/cdktf throws on purpose; catch this to tell our errors from bugs. */
export class PaverCdktfError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** A construct was given props it cannot build from (bad name, unknown datastore, a literal secret). */
export class InvalidPropsError extends PaverCdktfError {}

/** The catalog could not be read: unreadable file, bad YAML, or a catalog API that failed. */
export class CatalogReadError extends PaverCdktfError {}

/** Catalog entities that cannot be synthesized; the message names every offending entity. */
export class CatalogEntityError extends PaverCdktfError {
  constructor(readonly problems: readonly string[]) {
    super(
      `cannot synthesize the platform stacks:\n${problems
        .map(p => `  - ${p}`)
        .join('\n')}`,
    );
  }
}
