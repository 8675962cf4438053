import type {
  LoggerService,
  UrlReaderService,
} from '@backstage/backend-plugin-api';
import type { Entity } from '@backstage/catalog-model';
import { isError } from '@backstage/errors';
import type { ScmIntegrationRegistry } from '@backstage/integration';
import type {
  CatalogProcessorCache,
  LocationSpec,
} from '@backstage/plugin-catalog-node';
import {
  fieldPath,
  isProductionComponent,
  type EntityViolation,
} from '@paver/catalog-lint';
import { RUNBOOK_ANNOTATION } from '@paver/plugin-paver-common';
import { parseRunbookTarget, resolveRunbookUrl } from './runbookLinkProcessor';

const CACHE_KEY = 'runbook-read';

/** What the last successful read saw, so the next one asks "changed since?" with its ETag. */
interface LastRead {
  [key: string]: string | null;
  url: string;
  etag: string | null;
}

/**
 * Checks that the runbook of a production Component, when it is a path in the service's own
 * repository (`paver.dev/runbook: docs/runbook.md`), resolves to a document the backend's UrlReader
 * can read. An http(s) runbook elsewhere is left at the well-formed-URL check (no credentials for
 * arbitrary wikis); a `file` location has no URL to read through.
 */
export class RunbookDocuments {
  constructor(
    private readonly urlReader: Pick<UrlReaderService, 'readUrl'>,
    private readonly integrations: ScmIntegrationRegistry,
    private readonly logger: Pick<LoggerService, 'warn'>,
  ) {}

  async violations(
    entity: Entity,
    location: LocationSpec,
    cache: CatalogProcessorCache,
  ): Promise<EntityViolation[]> {
    const url = this.inRepositoryUrl(entity, location);
    if (!url || (await this.readable(url, cache))) {
      return [];
    }
    return [
      {
        field: fieldPath(['metadata', 'annotations', RUNBOOK_ANNOTATION]),
        message: `the runbook ${url} does not exist in the service's repository`,
      },
    ];
  }

  private inRepositoryUrl(
    entity: Entity,
    location: LocationSpec,
  ): string | undefined {
    const value = entity.metadata.annotations?.[RUNBOOK_ANNOTATION];
    if (!isProductionComponent(entity) || typeof value !== 'string') {
      return undefined;
    }
    const target = parseRunbookTarget(value);
    return target.kind === 'path'
      ? resolveRunbookUrl(this.integrations, target.path, location)
      : undefined;
  }

  /** False only when the reader says the document is not there; other failures are not its fault. */
  private async readable(
    url: string,
    cache: CatalogProcessorCache,
  ): Promise<boolean> {
    const last = await cache.get<LastRead>(CACHE_KEY);
    const etag = last?.url === url ? last.etag ?? undefined : undefined;
    try {
      const response = await this.urlReader.readUrl(url, { etag });
      await cache.set<LastRead>(CACHE_KEY, {
        url,
        etag: response.etag ?? null,
      });
      return true;
    } catch (error) {
      if (isError(error) && error.name === 'NotModifiedError' && last) {
        await cache.set(CACHE_KEY, last);
        return true;
      }
      if (isError(error) && error.name === 'NotFoundError') {
        return false;
      }
      // An SCM outage or rate limit says nothing about the runbook; failing every production
      // Component for it would freeze the catalog. The next processing run reads again.
      this.logger.warn(`Could not check the runbook ${url}: ${error}`);
      return true;
    }
  }
}
