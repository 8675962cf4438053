import type { Entity } from '@backstage/catalog-model';
import type { CatalogProcessor } from '@backstage/plugin-catalog-node';
import {
  TEMPLATE_ANNOTATION,
  TEMPLATE_BEHIND_ANNOTATION,
  TEMPLATE_LATEST_ANNOTATION,
} from '@paver/plugin-paver-common';

/** The released versions of a golden path, oldest first (TemplateReleases in production). */
export interface ReleaseSource {
  versions(template: string): Promise<string[]>;
}

// Releases change when a platform engineer tags one; a minute of staleness is fine, a git call
// per entity per processing loop is not.
const DEFAULT_CACHE_MS = 60_000;

/**
 * Puts template currency on every Component Paver generated: from its `paver.dev/template`
 * (`billing-service@1.0.0`), the newest release of that golden path and how many releases the
 * Component is behind, as annotations the catalog serves and the entity page shows.
 */
export class TemplateCurrencyProcessor implements CatalogProcessor {
  private readonly cache = new Map<
    string,
    { at: number; versions: Promise<string[]> }
  >();

  constructor(
    private readonly releases: ReleaseSource,
    private readonly options: { cacheMs?: number; now?: () => number } = {},
  ) {}

  getProcessorName(): string {
    return 'PaverTemplateCurrencyProcessor';
  }

  async preProcessEntity(entity: Entity): Promise<Entity> {
    const value = entity.metadata.annotations?.[TEMPLATE_ANNOTATION];
    const match =
      typeof value === 'string'
        ? /^([a-z0-9][a-z0-9._-]*)@(.+)$/.exec(value)
        : null;
    if (entity.kind !== 'Component' || !match) return entity;
    const [, template, version] = match;
    const versions = await this.versionsOf(template);
    const index = versions.indexOf(version);
    // Not a release (a working copy render, or releases not readable here): nothing to claim.
    if (index < 0) return entity;
    return {
      ...entity,
      metadata: {
        ...entity.metadata,
        annotations: {
          ...entity.metadata.annotations,
          [TEMPLATE_LATEST_ANNOTATION]: versions[versions.length - 1],
          [TEMPLATE_BEHIND_ANNOTATION]: String(versions.length - 1 - index),
        },
      },
    };
  }

  private versionsOf(template: string): Promise<string[]> {
    const now = (this.options.now ?? Date.now)();
    const cached = this.cache.get(template);
    if (
      cached &&
      now - cached.at < (this.options.cacheMs ?? DEFAULT_CACHE_MS)
    ) {
      return cached.versions;
    }
    const versions = this.releases.versions(template).catch(() => []);
    this.cache.set(template, { at: now, versions });
    return versions;
  }
}
