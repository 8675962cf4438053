import type { CatalogProblem } from './problems';
import { entityIndex } from './refs';
import { ownerCheck, onCallViolations } from './rules/oncall';
import { problemAt } from './rules/common';
import { scheduleViolations } from './rules/schedules';
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
 * (their own `paver.dev/oncall`, or their owner Group's); every `paver.dev/oncall` names an
 * on-call schedule that exists, and each schedule's block is valid and names Users and schedules
 * that exist. Links being http(s) is {@link validateCatalog}'s link rule, not repeated here.
 */
export function onCallProblems(
  loaded: Pick<LoadedCatalog, 'entities'>,
  options: OnCallOptions = {},
): CatalogProblem[] {
  const own = entityIndex(loaded);
  const known = entityIndex({ entities: [...(options.knownEntities ?? [])] });
  const find = (ref: string) => (own.get(ref) ?? known.get(ref))?.entity;
  return loaded.entities.flatMap(item => {
    const check = ownerCheck(item.entity);
    const owner = check.kind === 'lookup' ? find(check.ref) : undefined;
    return [
      ...onCallViolations(item.entity, owner),
      ...scheduleViolations(item.entity, find),
    ].map(violation => problemAt(item, violation.field, violation.message));
  });
}
