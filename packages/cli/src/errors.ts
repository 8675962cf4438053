import { GoldenPathError } from '@paver/golden-path';

/** A command the CLI ran (npm install, build, test) failed; the message names template and step. */
export class CommandFailedError extends GoldenPathError {}

/** Command-line input that is wrong before any template is involved (e.g. a bad --set). */
export class UsageError extends GoldenPathError {}

/** The cdktf platform app (or its build) failed; the message is the app's own, naming each entity. */
export class PlatformAppError extends GoldenPathError {}

/** The catalog could not be read: a missing folder, unreadable YAML, or a catalog API that failed. */
export class CatalogSourceError extends GoldenPathError {}

/** No Component, API or System by the name asked for; the message suggests close names. */
export class EntityNotFoundError extends GoldenPathError {}
