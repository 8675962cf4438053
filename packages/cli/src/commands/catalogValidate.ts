import fs from 'node:fs';
import path from 'node:path';
import {
  absolutePathOf,
  CatalogLintError,
  formatProblem,
  loadCatalog,
  loadCatalogFile,
  onCallProblems,
  validateCatalog,
  type CatalogProblem,
  type LoadedCatalog,
  type LoadedEntity,
} from '@paver/catalog-lint';
import { CatalogInvalidError, CatalogSourceError } from '../errors';
import { CliIo, step } from '../io';
import { displayPath, findRepoRoot } from '../repoRoot';

/** Options of `paver catalog validate`; paths as typed, relative to the working directory. */
export interface CatalogValidateOptions {
  /** Files or folders of catalog YAML (default: ./catalog-info.yaml, else the repository catalog/). */
  paths: string[];
  /** Folder of known entities owners and refs may point at (default: the repository catalog/). */
  catalog?: string;
}

/**
 * `paver catalog validate`: what the catalog backend would refuse, Paver's catalog rules, and the
 * rules the on-call relies on (the same functions as the catalog module's processor), one line per
 * problem (`file: entity: field: message`). Throws {@link CatalogInvalidError} after printing them.
 */
export async function catalogValidate(
  options: CatalogValidateOptions,
  io: CliIo,
): Promise<void> {
  const targets = options.paths.length
    ? options.paths.map(p => path.resolve(io.cwd, p))
    : [defaultTarget(io.cwd)];
  const loaded = await Promise.all(targets.map(loadTarget));
  const known = await loadKnownEntities(options.catalog, io.cwd);
  const lines = new Set<string>();
  for (const catalog of loaded) {
    const others = loaded.filter(other => other !== catalog);
    const problems = await problemsOf(catalog, [
      ...others.flatMap(other => other.entities),
      ...known,
    ]);
    for (const problem of problems) lines.add(lineOf(catalog, problem, io.cwd));
  }
  for (const line of lines) io.stdout.write(`${line}\n`);
  const files = loaded.reduce((n, catalog) => n + catalog.files.length, 0);
  if (lines.size > 0) {
    throw new CatalogInvalidError(
      `${plural(lines.size, 'problem')} in ${plural(files, 'file')}`,
    );
  }
  const entities = loaded.reduce((n, c) => n + c.entities.length, 0);
  step(
    io,
    `${plural(entities, 'entity', 'entities')} in ${plural(
      files,
      'file',
    )}: no problems`,
  );
}

/** Every problem of one loaded path, grouped by file in load order. */
async function problemsOf(
  catalog: LoadedCatalog,
  knownEntities: LoadedEntity[],
): Promise<CatalogProblem[]> {
  const problems = [
    ...(await validateCatalog(catalog, { knownEntities })),
    ...onCallProblems(catalog, { knownEntities }),
  ];
  const order = new Map(catalog.files.map((file, i) => [file, i]));
  const rank = (p: CatalogProblem) => order.get(p.file) ?? order.size;
  // Array.prototype.sort is stable: within a file, the rules' own order stays.
  return problems.sort((a, b) => rank(a) - rank(b));
}

function lineOf(catalog: LoadedCatalog, problem: CatalogProblem, cwd: string) {
  const file = displayPath(cwd, absolutePathOf(catalog, problem.file));
  return formatProblem({ ...problem, file });
}

function defaultTarget(cwd: string): string {
  const own = path.join(cwd, 'catalog-info.yaml');
  return fs.existsSync(own) ? own : path.join(findRepoRoot(cwd), 'catalog');
}

async function loadTarget(target: string): Promise<LoadedCatalog> {
  return asSourceError(() =>
    isFolder(target) ? loadCatalog(target) : loadCatalogFile(target),
  );
}

/** The `--catalog` folder's entities; the default folder may be absent (outside the repository). */
async function loadKnownEntities(
  catalog: string | undefined,
  cwd: string,
): Promise<LoadedEntity[]> {
  const dir = catalog
    ? path.resolve(cwd, catalog)
    : path.join(findRepoRoot(cwd), 'catalog');
  if (!catalog && !isFolder(dir)) return [];
  return (await asSourceError(() => loadCatalog(dir))).entities;
}

async function asSourceError<T>(load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (error) {
    if (error instanceof CatalogLintError)
      throw new CatalogSourceError(error.message, { cause: error });
    throw error;
  }
}

function isFolder(target: string): boolean {
  try {
    return fs.statSync(target).isDirectory();
  } catch {
    return false;
  }
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
