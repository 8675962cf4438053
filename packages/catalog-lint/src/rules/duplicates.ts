import type { CatalogProblem } from '../problems';
import { entityRefOf } from '../refs';
import type { LoadedEntity } from '../types';
import { problemAt } from './common';

/**
 * Two documents claiming one entity ref: the catalog keeps the first and rejects the other, so the
 * problem is reported on the later one and names where the first lives.
 */
export function duplicateProblems(
  entities: readonly LoadedEntity[],
): CatalogProblem[] {
  const firstByRef = new Map<string, LoadedEntity>();
  const problems: CatalogProblem[] = [];
  for (const item of entities) {
    const ref = entityRefOf(item.entity);
    const first = firstByRef.get(ref);
    if (!first) {
      firstByRef.set(ref, item);
      continue;
    }
    problems.push(
      problemAt(
        item,
        'metadata.name',
        `${ref} is already defined in ${first.file} (document ${first.documentIndex}); the first definition keeps it`,
      ),
    );
  }
  return problems;
}
