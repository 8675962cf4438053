import type { CatalogProblem } from './problems';
import { entityIndex } from './refs';
import { ownerCheck, onCallViolations } from './rules/oncall';
import { problemAt } from './rules/common';
import type { LoadedCatalog, LoadedEntity } from './types';

/** Options for {@link onCallProblems}. */
export interface OnCallOptions {
  /**
   * Entities defined elsewhere (the organisation's `catalog/`) that owners may be; the loaded
   * set itself is searched first.
   * @default []
   */
  knownEntities?: readonly LoadedEntity[];
}

/**
 * The rules the on-call relies on, over a loaded catalog: owners of Components, APIs, Systems and
 * Resources are Groups that exist; production Components have a runbook and an on-call rotation
 * (their own `paver.dev/oncall`, or their owner Group's). Links being http(s) is
 * {@link validateCatalog}'s link rule, not repeated here.
 */
export function onCallProblems(
  loaded: Pick<LoadedCatalog, 'entities'>,
  options: OnCallOptions = {},
): CatalogProblem[] {
  const own = entityIndex(loaded);
  const known = entityIndex({ entities: [...(options.knownEntities ?? [])] });
  return loaded.entities.flatMap(item => {
    const check = ownerCheck(item.entity);
    const owner =
      check.kind === 'lookup'
        ? (own.get(check.ref) ?? known.get(check.ref))?.entity
        : undefined;
    return onCallViolations(item.entity, owner).map(violation =>
      problemAt(item, violation.field, violation.message),
    );
  });
}
