import type { AuthService } from '@backstage/backend-plugin-api';
import { stringifyEntityRef, type Entity } from '@backstage/catalog-model';
import {
  processingResult,
  type CatalogProcessor,
  type CatalogProcessorCache,
  type CatalogProcessorEmit,
  type CatalogService,
  type LocationSpec,
} from '@backstage/plugin-catalog-node';
import {
  linkUrlViolations,
  onCallViolations,
  ownerCheck,
  runbookViolations,
} from '@paver/catalog-lint';
import type { RunbookDocuments } from './runbookDocument';

/** What the processor reads: the catalog (for owners) as itself, and the runbook documents. */
export interface OnCallRulesOptions {
  catalog: Pick<CatalogService, 'getEntityByRef'>;
  auth: Pick<AuthService, 'getOwnServiceCredentials'>;
  runbooks: Pick<RunbookDocuments, 'violations'>;
  /**
   * How long an owner Group may be missing before it is an error: the catalog processes entities
   * in no particular order, so at start (or in one import) a Component is often processed before
   * its Group. @default 10 minutes
   */
  ownerGraceMs?: number;
  now?: () => number;
}

const OWNER_MISSING_SINCE = 'ownerMissingSince';
const DEFAULT_OWNER_GRACE_MS = 10 * 60_000;

/**
 * The rules the on-call relies on, in the catalog: the same functions `paver catalog validate`
 * runs (@paver/catalog-lint). Owners of Components, APIs, Systems and Resources are Groups that
 * exist in the catalog; production Components have a runbook that resolves and an on-call
 * rotation (theirs or their owner Group's); links are http(s). Each violation is a processing
 * error naming entity and field, so the catalog keeps the entity's previous version.
 */
export class OnCallRulesProcessor implements CatalogProcessor {
  constructor(private readonly options: OnCallRulesOptions) {}

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
    const owner = await this.ownerOf(entity);
    const ownerPending = await this.ownerPending(entity, owner, cache);
    const violations = [
      ...linkUrlViolations(entity),
      // While the owner may still be on its way, only what does not depend on it is checked.
      ...(ownerPending
        ? runbookViolations(entity)
        : onCallViolations(entity, owner)),
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
   * True while a Group owner the catalog does not serve has been missing for less than the grace
   * window; the first sighting is kept in the processor's cache from one processing to the next.
   */
  private async ownerPending(
    entity: Entity,
    owner: Entity | undefined,
    cache: CatalogProcessorCache,
  ): Promise<boolean> {
    if (owner || ownerCheck(entity).kind !== 'lookup') return false;
    const now = (this.options.now ?? Date.now)();
    const since = (await cache.get<number>(OWNER_MISSING_SINCE)) ?? now;
    await cache.set(OWNER_MISSING_SINCE, since);
    const grace = this.options.ownerGraceMs ?? DEFAULT_OWNER_GRACE_MS;
    return now - since < grace;
  }

  /** The owner Group as the catalog serves it; asked only when the owner is a Group ref. */
  private async ownerOf(entity: Entity): Promise<Entity | undefined> {
    const check = ownerCheck(entity);
    if (check.kind !== 'lookup') {
      return undefined;
    }
    const credentials = await this.options.auth.getOwnServiceCredentials();
    return this.options.catalog.getEntityByRef(check.ref, { credentials });
  }
}
