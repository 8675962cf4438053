/**
 * The root of every error the CLI itself raises, as Copier has one per library: `main` prints
 * these (and the engine's GoldenPathError) as one line, without a stack trace.
 */
export class CliError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** A command the CLI ran (npm install, build, test) failed; the message names template and step. */
export class CommandFailedError extends CliError {}

/** Command-line input that is wrong before any template is involved (e.g. a bad --set). */
export class UsageError extends CliError {}

/** The cdktf platform app (or its build) failed; the message is the app's own, naming each entity. */
export class PlatformAppError extends CliError {}

/** The catalog could not be read: a missing folder, unreadable YAML, or a catalog API that failed. */
export class CatalogSourceError extends CliError {}

/** No Component, API or System by the name asked for; the message suggests close names. */
export class EntityNotFoundError extends CliError {}

/** A generated file in the repository no longer matches its source (`paver slo generate --check`). */
export class StaleOutputError extends CliError {}

/** `paver template release` found the template not ready to release; the message says what to fix. */
export class ReleaseCheckError extends CliError {}

/** `paver catalog validate` found problems; each was printed on its own line before this one. */
export class CatalogInvalidError extends CliError {}

/**
 * `paver dev` cannot run the stack: a bad stack file, a manifest it cannot read, a setting it has
 * no local stand-in for, or a process that did not become ready. The message names which.
 */
export class DevStackError extends CliError {}
