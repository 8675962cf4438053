import { stringifyEntityRef, type Entity } from '@backstage/catalog-model';
import {
  processingResult,
  type CatalogProcessor,
  type CatalogProcessorCache,
  type CatalogProcessorEmit,
  type LocationSpec,
} from '@backstage/plugin-catalog-node';
import {
  linkUrlViolations,
  lookupViolations,
  onCallViolations,
  ownerCheck,
  runbookViolations,
  scheduleCheck,
} from '@paver/catalog-lint';
import {
  CatalogRefLookup,
  type CatalogRefLookupOptions,
} from './catalogRefLookup';
import type { RunbookDocuments } from './runbookDocument';

/** What the processor reads: the catalog (for owners and schedules) as itself, and the runbook documents. */
export interface OnCallRulesOptions {
  catalog: CatalogRefLookupOptions['catalog'];
  auth: CatalogRefLookupOptions['auth'];
  runbooks: Pick<RunbookDocuments, 'violations'>;
  /**
   * How long an entity this one names (its owner Group, the schedule its `paver.dev/oncall` names,
   * a schedule's members and escalation targets) may be missing before it is an error: the
   * catalog processes entities in no particular order, so at start (or in one import) an entity
   * is often processed before the ones it names. @default 10 minutes
   */
  referenceGraceMs?: number;
  now?: () => number;
}

// Ref → when this entity first found it missing, kept from one processing to the next.
const MISSING_SINCE = 'missingSince';
const DEFAULT_REFERENCE_GRACE_MS = 10 * 60_000;

/**
 * The rules the on-call relies on, in the catalog: the same functions `paver catalog validate`
 * runs (@paver/catalog-lint). Owners of Components, APIs, Systems and Resources are Groups that
 * exist in the catalog; production Components have a runbook that resolves and an on-call
 * rotation (theirs or their owner Group's); a `paver.dev/oncall` names an on-call schedule the
 * catalog holds; a schedule's block is valid and its members and escalation targets exist; links
 * are http(s). Each violation is a processing error naming entity and field, so the catalog
 * keeps the entity's previous version.
 */
export class OnCallRulesProcessor implements CatalogProcessor {
  private readonly refs: CatalogRefLookup;

  constructor(private readonly options: OnCallRulesOptions) {
    this.refs = new CatalogRefLookup(options);
  }

  getProcessorName(): string {
    return 'PaverOnCallRulesProcessor';
  }

  // After pre-processing, so a runbook link the RunbookLinkProcessor added counts.
  async postProcessEntity(
    entity: Entity,
    location: LocationSpec,
    emit: CatalogProcessorEmit,
    cache: CatalogProcessorCache,
  ): Promise<Entity> {
    const owner = ownerCheck(entity);
    const ownerRef = owner.kind === 'lookup' ? owner.ref : undefined;
    const schedule = scheduleCheck(entity);
    const found = await this.refs.lookUp([
      ...(ownerRef ? [ownerRef] : []),
      ...schedule.lookups.map(lookup => lookup.ref),
    ]);
    const pending = await this.stillPending(found, cache);
    const violations = [
      ...linkUrlViolations(entity),
      // While the owner may still be on its way, only what does not depend on it is checked.
      ...(ownerRef && pending.has(ownerRef)
        ? runbookViolations(entity)
        : onCallViolations(entity, ownerRef ? found.get(ownerRef) : undefined)),
      ...schedule.violations,
      ...lookupViolations(
        schedule.lookups.filter(lookup => !pending.has(lookup.ref)),
        ref => found.get(ref),
      ),
      ...(await this.options.runbooks.violations(entity, location, cache)),
    ];
    const ref = stringifyEntityRef(entity);
    for (const { field, message } of violations) {
      emit(
        processingResult.inputError(location, `${ref}: ${field}: ${message}`),
      );
    }
    return entity;
  }

  /**
   * The missing refs whose grace window has not run out: each ref's first sighting as missing is
   * kept in the processor's cache from one processing to the next, and forgotten once it appears.
   */
  private async stillPending(
    found: ReadonlyMap<string, Entity | undefined>,
    cache: CatalogProcessorCache,
  ): Promise<Set<string>> {
    const missing = [...found].filter(([, e]) => !e).map(([ref]) => ref);
    if (missing.length === 0) return new Set();
    const now = (this.options.now ?? Date.now)();
    const seen = (await cache.get<Record<string, number>>(MISSING_SINCE)) ?? {};
    const since = Object.fromEntries(
      missing.map(ref => [ref, seen[ref] ?? now]),
    );
    await cache.set(MISSING_SINCE, since);
    const grace = this.options.referenceGraceMs ?? DEFAULT_REFERENCE_GRACE_MS;
    return new Set(missing.filter(ref => now - since[ref] < grace));
  }
}
