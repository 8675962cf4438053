import { GoldenPathError } from '@paver/golden-path';

/** A command the CLI ran (npm install, build, test) failed; the message names template and step. */
export class CommandFailedError extends GoldenPathError {}

/** Command-line input that is wrong before any template is involved (e.g. a bad --set). */
export class UsageError extends GoldenPathError {}
