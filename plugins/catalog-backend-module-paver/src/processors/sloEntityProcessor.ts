import type {
  LoggerService,
  UrlReaderService,
} from '@backstage/backend-plugin-api';
import {
  parseEntityRef,
  stringifyEntityRef,
  type Entity,
} from '@backstage/catalog-model';
import { InputError, isError } from '@backstage/errors';
import type { ScmIntegrationRegistry } from '@backstage/integration';
import {
  processingResult,
  type CatalogProcessor,
  type CatalogProcessorCache,
  type CatalogProcessorEmit,
  type LocationSpec,
} from '@backstage/plugin-catalog-node';
import { SLO_ANNOTATION } from '@paver/plugin-paver-common';
import { parseOpenSlo, SloError } from '@paver/slo';
import {
  isSloEntity,
  RELATION_HAS_SLO,
  RELATION_SLO_OF,
  sloEntity,
  sloSpecProblems,
} from './sloEntities';

const CACHE_KEY = 'slo-document';
const MISSING = Symbol('missing');

/** The last document read, so the next read asks "changed since?" and an SCM outage keeps the SLOs. */
interface LastRead {
  [key: string]: string | null;
  url: string;
  etag: string | null;
  text: string;
}

/**
 * SLOs in the catalog. A Component whose `paver.dev/slo` names its OpenSLO file (a path beside
 * catalog-info.yaml, read through the backend's UrlReader as `$text` refs are) gets one `kind: SLO`
 * entity per SLO in it, validated by @paver/slo (objectives in (0, 100 %], windows, a known service,
 * a well-formed SLI); a broken file is a processing error on the Component naming the field. Each
 * SLO entity is related both ways to its Component (`hasSlo` / `sloOf`).
 */
export class SloEntityProcessor implements CatalogProcessor {
  constructor(
    private readonly urlReader: Pick<UrlReaderService, 'readUrl'>,
    private readonly integrations: ScmIntegrationRegistry,
    private readonly logger: Pick<LoggerService, 'warn'>,
  ) {}

  getProcessorName(): string {
    return 'PaverSloEntityProcessor';
  }

  async validateEntityKind(entity: Entity): Promise<boolean> {
    if (!isSloEntity(entity)) return false;
    const problems = sloSpecProblems(entity);
    if (problems.length > 0) {
      throw new InputError(
        `${stringifyEntityRef(entity)}: ${problems.join('; ')}`,
      );
    }
    return true;
  }

  async postProcessEntity(
    entity: Entity,
    location: LocationSpec,
    emit: CatalogProcessorEmit,
    cache: CatalogProcessorCache,
  ): Promise<Entity> {
    if (isSloEntity(entity)) {
      emitRelations(entity, emit);
      return entity;
    }
    const file = entity.metadata.annotations?.[SLO_ANNOTATION];
    if (entity.kind.toLowerCase() !== 'component' || typeof file !== 'string') {
      return entity;
    }
    const url = this.resolve(file, location);
    if (!url) return entity;
    const text = await this.read(url, cache);
    if (text === undefined) return entity;
    if (text === MISSING) {
      emit(
        processingResult.inputError(
          location,
          `${stringifyEntityRef(
            entity,
          )}: metadata.annotations["${SLO_ANNOTATION}"]: ${url} does not exist`,
        ),
      );
      return entity;
    }
    try {
      const { slos } = parseOpenSlo(text, url, [entity.metadata.name]);
      const rules = this.resolve('slo-rules.yaml', {
        ...location,
        target: url,
      });
      for (const slo of slos) {
        emit(
          processingResult.entity(
            location,
            sloEntity(slo, entity, { source: url, rules }),
          ),
        );
      }
    } catch (error) {
      if (!(error instanceof SloError)) throw error;
      emit(
        processingResult.inputError(
          location,
          `${stringifyEntityRef(
            entity,
          )}: metadata.annotations["${SLO_ANNOTATION}"]: ${error.message}`,
        ),
      );
    }
    return entity;
  }

  /** `path` beside the location's file; none for a `file` location (no reader for the disk). */
  private resolve(path: string, location: LocationSpec): string | undefined {
    if (location.type !== 'url') return undefined;
    try {
      return this.integrations.resolveUrl({ url: path, base: location.target });
    } catch {
      return undefined;
    }
  }

  /**
   * The document's text, MISSING when the reader says it is not there, and the last text read
   * (or none) when the reader fails for reasons that are not the file's.
   */
  private async read(
    url: string,
    cache: CatalogProcessorCache,
  ): Promise<string | typeof MISSING | undefined> {
    const last = await cache.get<LastRead>(CACHE_KEY);
    const known = last?.url === url ? last : undefined;
    try {
      const response = await this.urlReader.readUrl(url, {
        etag: known?.etag ?? undefined,
      });
      const text = (await response.buffer()).toString('utf8');
      await cache.set<LastRead>(CACHE_KEY, {
        url,
        etag: response.etag ?? null,
        text,
      });
      return text;
    } catch (error) {
      if (known && isError(error) && error.name === 'NotModifiedError') {
        await cache.set(CACHE_KEY, known);
        return known.text;
      }
      if (isError(error) && error.name === 'NotFoundError') return MISSING;
      // An SCM outage says nothing about the SLOs: keep the last ones rather than drop them.
      this.logger.warn(`Could not read the SLO document ${url}: ${error}`);
      if (known) await cache.set(CACHE_KEY, known);
      return known?.text;
    }
  }
}

function emitRelations(slo: Entity, emit: CatalogProcessorEmit) {
  const service = (slo.spec as { service?: unknown } | undefined)?.service;
  if (typeof service !== 'string') return;
  const sloRef = parseEntityRef(stringifyEntityRef(slo));
  const serviceRef = parseEntityRef(service, {
    defaultKind: 'component',
    defaultNamespace: slo.metadata.namespace,
  });
  emit(
    processingResult.relation({
      source: sloRef,
      type: RELATION_SLO_OF,
      target: serviceRef,
    }),
  );
  emit(
    processingResult.relation({
      source: serviceRef,
      type: RELATION_HAS_SLO,
      target: sloRef,
    }),
  );
}
