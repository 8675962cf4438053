import fs from 'node:fs';
import path from 'node:path';
import semver from 'semver';
import type { Answers } from '../answers';
import { TemplateInvalidError } from '../errors';

/** What a migration step sees: the service repository and the answers it may rewrite. */
export interface MigrationContext {
  /** The service repository being upgraded. */
  repoDir: string;
  /** The version the service is on and the one it moves to. */
  from: string;
  to: string;
  /** The answers the new version renders with; a `before` hook may rename or add keys. */
  answers: Answers;
}

/**
 * A step between two versions of a template, `migrations/<version>.ts` in the template folder,
 * run when a service moves past that version. `before` runs before the merge (it may move files
 * so the merge sees them where the new version expects them); `after` runs once the merged files
 * are written, before `.paver/answers.yaml` is. Copier's before/after migrations.
 */
export interface TemplateMigration {
  before?(context: MigrationContext): void | Promise<void>;
  after?(context: MigrationContext): void | Promise<void>;
}

/** Loads a migration module; `import()` unless a caller knows better. */
export type ImportModule = (file: string) => Promise<unknown>;

/** A loaded step, by the version it leads to. */
export interface LoadedMigration {
  version: string;
  file: string;
  migration: TemplateMigration;
}

/** Steps for versions in (from, to], oldest first. */
export async function loadMigrations(
  templateDir: string,
  from: string,
  to: string,
  importModule: ImportModule,
): Promise<LoadedMigration[]> {
  const dir = path.join(templateDir, 'migrations');
  if (!fs.existsSync(dir)) return [];
  const steps = fs
    .readdirSync(dir)
    .filter(f => /\.(ts|js)$/.test(f) && !/\.test\.(ts|js)$/.test(f))
    .map(f => ({
      version: f.replace(/\.(ts|js)$/, ''),
      file: path.join(dir, f),
    }))
    .filter(({ version, file }) => {
      if (!semver.valid(version)) {
        throw new TemplateInvalidError(
          `${file}: a migration is named after the version it leads to, e.g. 2.0.0.ts`,
        );
      }
      return semver.gt(version, from) && semver.lte(version, to);
    })
    .sort((a, b) => semver.compare(a.version, b.version));
  const loaded: LoadedMigration[] = [];
  for (const step of steps) {
    loaded.push({
      ...step,
      migration: readMigration(await importModule(step.file), step.file),
    });
  }
  return loaded;
}

function readMigration(module: unknown, file: string): TemplateMigration {
  const migration = unwrapDefault(module) as TemplateMigration;
  for (const hook of ['before', 'after'] as const) {
    if (
      migration?.[hook] !== undefined &&
      typeof migration[hook] !== 'function'
    ) {
      throw new TemplateInvalidError(`${file}: ${hook} must be a function`);
    }
  }
  if (!migration?.before && !migration?.after) {
    throw new TemplateInvalidError(
      `${file}: export default { before?, after? } (a TemplateMigration)`,
    );
  }
  return migration;
}

// A TypeScript module loaded through a CommonJS transform arrives as { default: { default } }.
function unwrapDefault(module: unknown): unknown {
  let value = module;
  for (let i = 0; i < 2; i++) {
    const inner = (value as { default?: unknown } | null)?.default;
    if (inner === undefined) break;
    value = inner;
  }
  return value;
}
