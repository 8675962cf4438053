/** Root of every error the golden-path engine throws on purpose; callers catch this one type. */
export class GoldenPathError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The template folder, its template.yaml or a listed fragment does not exist. */
export class TemplateNotFoundError extends GoldenPathError {}

/** The template itself is broken: bad template.yaml, a file that fails to compile or render. */
export class TemplateInvalidError extends GoldenPathError {}

/** The answers do not satisfy the template's parameters; `issues` names each field. */
export class AnswersInvalidError extends GoldenPathError {
  readonly issues: readonly AnswerIssue[];

  constructor(issues: readonly AnswerIssue[], options?: { cause?: unknown }) {
    super(issues.map(i => `${i.field}: ${i.message}`).join('; '), options);
    this.issues = issues;
  }
}

/** One problem with one answer field, e.g. `{ field: 'answers.name', message: '"admin" is reserved' }`. */
export interface AnswerIssue {
  field: string;
  message: string;
}

/** An output path (a rendered file or folder name) would leave the target, or is not a plain name. */
export class UnsafePathError extends GoldenPathError {}

/** A symlink in a skeleton or fragment leaves the template, is dangling, or loops. */
export class UnsafeSymlinkError extends GoldenPathError {}

/** The target folder exists and is not empty; the engine never writes over existing work. */
export class TargetNotEmptyError extends GoldenPathError {}

/** A release of a template (`<name>@<version>`) cannot be found or read. */
export class ReleaseNotFoundError extends GoldenPathError {}

/** An upgrade cannot start or finish: a bad answers file, a dirty repository, a digest mismatch. */
export class UpgradeError extends GoldenPathError {}
