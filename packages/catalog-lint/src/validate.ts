import type { KindValidator } from '@backstage/catalog-model';
import type { CatalogProblem } from './problems';
import { entityIndex, entityRefOf } from './refs';
import { duplicateProblems } from './rules/duplicates';
import { hierarchyProblems } from './rules/hierarchy';
import { locationProblems } from './rules/locations';
import { BUILTIN_KIND_VALIDATORS, modelProblems } from './rules/model';
import { referenceProblems } from './rules/references';
import { urlProblems } from './rules/urls';
import type { LoadedCatalog, LoadedEntity } from './types';

/** Options for {@link validateCatalog}. */
export interface ValidateCatalogOptions {
  /**
   * Validators for kinds beyond the built-in ones, e.g. the scaffolder's Template validator.
   * @default []
   */
  extraKindValidators?: readonly KindValidator[];
  /**
   * Entities defined elsewhere (the organisation's `catalog/`, when checking one service's
   * catalog-info.yaml) that refs may point at; they are not validated themselves.
   * @default []
   */
  knownEntities?: readonly LoadedEntity[];
}

/**
 * Every problem with a loaded catalog, grouped by file: what could not be loaded, what the real
 * catalog processors would reject, and Paver's own rules (http(s) links, owners that are Groups or
 * Users, refs that resolve, Location targets inside the folder, one file per entity ref).
 * An empty list means the backend will accept all of it.
 */
export async function validateCatalog(
  loaded: LoadedCatalog,
  options: ValidateCatalogOptions = {},
): Promise<CatalogProblem[]> {
  const kindValidators = [
    ...BUILTIN_KIND_VALIDATORS,
    ...(options.extraKindValidators ?? []),
  ];
  const index = entityIndex(loaded);
  const known = new Set([
    ...index.keys(),
    ...(options.knownEntities ?? []).map(item => entityRefOf(item.entity)),
  ]);
  const problems: CatalogProblem[] = [...loaded.problems];
  for (const item of loaded.entities) {
    problems.push(
      ...(await modelProblems(item, kindValidators)),
      ...urlProblems(item),
      ...referenceProblems(item, known),
      ...hierarchyProblems(item, index),
    );
  }
  problems.push(
    ...duplicateProblems(loaded.entities),
    ...(await locationProblems(loaded)),
  );
  return sortByFile(problems, loaded.files);
}

// Stable: within a file, problems keep the order the rules found them in.
function sortByFile(
  problems: CatalogProblem[],
  files: readonly string[],
): CatalogProblem[] {
  const order = new Map(files.map((file, position) => [file, position]));
  const rank = (problem: CatalogProblem) =>
    order.get(problem.file) ?? files.length;
  return problems
    .map((problem, position) => ({ problem, position }))
    .sort(
      (a, b) => rank(a.problem) - rank(b.problem) || a.position - b.position,
    )
    .map(({ problem }) => problem);
}
