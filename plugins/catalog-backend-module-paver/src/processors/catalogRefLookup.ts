import type { AuthService } from '@backstage/backend-plugin-api';
import type { Entity } from '@backstage/catalog-model';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { LRUCache } from 'lru-cache';

/** Options of {@link CatalogRefLookup}. */
export interface CatalogRefLookupOptions {
  catalog: Pick<CatalogService, 'getEntitiesByRefs'>;
  auth: Pick<AuthService, 'getOwnServiceCredentials'>;
  /**
   * How long an entity found stays the answer for its ref. Below the catalog's processing interval
   * (100–150 s by default), so a deleted owner is noticed within one more round. @default 60 s
   */
  ttlMs?: number;
  /** Entities kept at most (Groups, schedules, their members). @default 20,000 */
  max?: number;
  now?: () => number;
}

/**
 * Looks up the entities the on-call rules name (owner Groups, schedules, their members) in the
 * catalog, the refs not yet known in one request, and keeps the ones found for a short while:
 * thousands of Components share a few hundred owners, and each lookup is an HTTP round trip to
 * the catalog itself, which was ~40 % of the backend's work while ingesting an organisation
 * (bench/catalog). Missing refs are asked again every time, so an owner that arrives counts at
 * once.
 */
export class CatalogRefLookup {
  private readonly found: LRUCache<string, Entity>;

  constructor(private readonly options: CatalogRefLookupOptions) {
    this.found = new LRUCache<string, Entity>({
      max: options.max ?? 20_000,
      ttl: options.ttlMs ?? 60_000,
      // Read the clock on every get rather than lru-cache's memo of it (a 1 ms timer).
      ttlResolution: 0,
      ...(options.now && { perf: { now: options.now } }),
    });
  }

  /** Each ref as the catalog serves it, undefined when it does not. */
  async lookUp(
    refs: readonly string[],
  ): Promise<Map<string, Entity | undefined>> {
    const unique = [...new Set(refs)];
    const result = new Map<string, Entity | undefined>(
      unique.map(ref => [ref, this.found.get(ref)]),
    );
    const unknown = unique.filter(ref => !result.get(ref));
    if (unknown.length === 0) return result;
    const credentials = await this.options.auth.getOwnServiceCredentials();
    const { items } = await this.options.catalog.getEntitiesByRefs(
      { entityRefs: unknown },
      { credentials },
    );
    unknown.forEach((ref, i) => {
      const entity = items[i];
      result.set(ref, entity);
      if (entity) this.found.set(ref, entity);
    });
    return result;
  }
}
