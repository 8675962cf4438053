/** Root of every error @paver/catalog-lint throws on purpose; callers catch this one type. */
export class CatalogLintError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The catalog folder to load does not exist or is not a folder. */
export class CatalogFolderError extends CatalogLintError {}

/** A catalog file given by path does not exist or is not a file. */
export class CatalogFileError extends CatalogLintError {}

/** A YAML file is unreadable as plain data: syntax, tags, alias bombs, too large. */
export class CatalogYamlError extends CatalogLintError {}

/** A string given as an entity reference is not of the form `[kind:][namespace/]name`. */
export class InvalidEntityRefError extends CatalogLintError {}
