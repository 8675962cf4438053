import type {
  BackstageCredentials,
  LoggerService,
} from '@backstage/backend-plugin-api';
import {
  ANNOTATION_LOCATION,
  ANNOTATION_ORIGIN_LOCATION,
} from '@backstage/catalog-model';
import { CustomErrorBase, ForwardedError, isError } from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import type { PublishProvider } from '../config';

/** A repository that carries Paver's task marker, and where its catalog-info.yaml is served. */
export interface MarkedRepository {
  /** `<name>` (local) or `<owner>/<name>` (GitHub). */
  repo: string;
  /** The task id from the marker, when the marker holds it (a long id is hashed into a topic). */
  taskId?: string;
  /** Exactly what `paver:repo:publish` outputs as `catalogInfoUrl` for this repository. */
  catalogInfoUrl: string;
}

/** Where Paver published: lists its marked repositories and looks for their catalog-info.yaml. Reads only. */
export interface RepositorySource {
  readonly provider: PublishProvider;
  list(signal?: AbortSignal): Promise<MarkedRepository[]>;
  /** Whether the file at `catalogInfoUrl` is there to be read by the catalog. */
  hasCatalogInfo(
    repository: MarkedRepository,
    signal?: AbortSignal,
  ): Promise<boolean>;
}

export interface ReconcileReport {
  provider: PublishProvider;
  /** Marked repositories looked at. */
  checked: number;
  /** Marked repositories the catalog already had (a location, or an entity from that URL). */
  alreadyRegistered: number;
  registered: { repo: string; taskId?: string; catalogInfoUrl: string }[];
  /** Not registered, with the reason: no catalog-info.yaml, or the catalog refused or failed. */
  failed: { repo: string; catalogInfoUrl: string; error: string }[];
}

export interface ReconcileOptions {
  source: RepositorySource;
  catalog: Pick<
    CatalogService,
    'queryLocations' | 'getEntities' | 'addLocation'
  >;
  /** The module's own service credentials. */
  credentials: BackstageCredentials;
  logger: Pick<LoggerService, 'info' | 'warn'>;
  signal?: AbortSignal;
}

/** The repository could not be registered because it has no catalog-info.yaml where the catalog reads it. */
export class MissingCatalogInfoError extends CustomErrorBase {
  name = 'MissingCatalogInfoError' as const;

  constructor(url: string) {
    super(
      `catalog-info.yaml is absent: nothing to read at ${url}; not registered`,
    );
  }
}

/**
 * Finds Paver-marked repositories the catalog does not know and registers them (docs/reliability.md,
 * Faults row 7: "a reconciler finds marked repositories with no entity"). Per repository: already in the
 * catalog → counted; no catalog-info.yaml → reported, not registered; else `addLocation` with
 * `onConflict: 'refresh'` (as paver:catalog:register does), so a task or another replica that
 * registers the same URL at the same moment is success, never a duplicate. One repository's
 * failure is reported and the others are still processed; only a failed listing fails the run.
 * Never creates, changes or deletes a repository.
 */
export async function reconcile(
  options: ReconcileOptions,
): Promise<ReconcileReport> {
  const { source, catalog, credentials, logger, signal } = options;
  let repositories: MarkedRepository[];
  try {
    repositories = await source.list(signal);
  } catch (error) {
    throw new ForwardedError(
      `Failed to list Paver's repositories (${source.provider})`,
      error,
    );
  }
  const report: ReconcileReport = {
    provider: source.provider,
    checked: 0,
    alreadyRegistered: 0,
    registered: [],
    failed: [],
  };
  for (const repository of repositories) {
    signal?.throwIfAborted();
    report.checked += 1;
    const { repo, taskId, catalogInfoUrl } = repository;
    try {
      if (await isInCatalog(catalog, catalogInfoUrl, credentials)) {
        report.alreadyRegistered += 1;
        continue;
      }
      if (!(await source.hasCatalogInfo(repository, signal)))
        throw new MissingCatalogInfoError(catalogInfoUrl);
      await catalog.addLocation(
        { type: 'url', target: catalogInfoUrl, onConflict: 'refresh' },
        { credentials },
      );
      report.registered.push({
        repo,
        ...(taskId ? { taskId } : {}),
        catalogInfoUrl,
      });
      logger.info(
        `Reconciler registered ${repo}${
          taskId ? ` (task ${taskId})` : ''
        } from ${catalogInfoUrl}`,
      );
    } catch (error) {
      signal?.throwIfAborted();
      report.failed.push({
        repo,
        catalogInfoUrl,
        error: isError(error) ? error.message : String(error),
      });
    }
  }
  if (report.failed.length > 0) {
    logger.warn(
      `Reconciler could not register ${report.failed.length} of ${
        report.checked
      } Paver repositories: ${report.failed
        .map(f => `${f.repo} (${f.error})`)
        .join('; ')}`,
    );
  }
  return report;
}

/** A location with that URL as its target, or any entity read from it. */
async function isInCatalog(
  catalog: ReconcileOptions['catalog'],
  url: string,
  credentials: BackstageCredentials,
): Promise<boolean> {
  const { items: locations } = await catalog.queryLocations(
    { query: { type: 'url', target: url }, limit: 1 },
    { credentials },
  );
  if (locations.length > 0) return true;
  const ref = `url:${url}`;
  const { items: entities } = await catalog.getEntities(
    {
      // Either: registered itself (origin), or emitted by another location that points at it.
      filter: [
        { [`metadata.annotations.${ANNOTATION_ORIGIN_LOCATION}`]: ref },
        { [`metadata.annotations.${ANNOTATION_LOCATION}`]: ref },
      ],
      fields: ['kind', 'metadata.name'],
      limit: 1,
    },
    { credentials },
  );
  return entities.length > 0;
}
