import { normalizeEntityRef } from '@paver/catalog-lint';
import { CatalogSourceError } from '../errors';
import { whoOwnsSloOf } from './slos';
import {
  refsIn,
  SERVICE_KINDS,
  unique,
  uniqueDependents,
  type CatalogSource,
  type Dependent,
  type Entity,
} from './source';

/** Options of {@link apiSource}. */
export interface ApiSourceOptions {
  /** Backstage base URL, e.g. `http://localhost:7007` (the embedded portal). */
  baseUrl: string;
  /** A Backstage user or service token, sent as a bearer token and never printed. @default none */
  token?: string;
  /** Entities per page of `/entities/by-query`. @default 500 */
  pageSize?: number;
}

/** A catalog relation as the API returns it on each entity. */
interface Relation {
  type: string;
  targetRef: string;
}

interface Page {
  items: Entity[];
  pageInfo?: { nextCursor?: string };
}

const MAX_PAGES = 1000;

/**
 * The Backstage catalog API: `/api/catalog/entities/by-name/{kind}/{namespace}/{name}` for single
 * entities and `/api/catalog/entities/by-query` (following `pageInfo.nextCursor`) for members,
 * dependents and name suggestions. Reverse links come from the catalog's own relations, which
 * already merge `dependsOn` with the other side's `dependencyOf`.
 */
export function apiSource(options: ApiSourceOptions): CatalogSource {
  const base = parseBaseUrl(options.baseUrl);
  const label = base.href.replace(/\/$/, '');

  async function request(url: URL): Promise<Response> {
    const where = `${url.origin}${url.pathname}`; // never the query: cursors are opaque
    let response: Response;
    try {
      response = await fetch(url, {
        headers: {
          accept: 'application/json',
          ...(options.token && { authorization: `Bearer ${options.token}` }),
        },
      });
    } catch (error) {
      throw new CatalogSourceError(
        `catalog API ${where} cannot be reached: ${(error as Error).message}`,
        { cause: error },
      );
    }
    if (response.status === 401 || response.status === 403) {
      throw new CatalogSourceError(
        `catalog API ${where} answered ${response.status}: pass a token with --token or PAVER_CATALOG_TOKEN`,
      );
    }
    return response;
  }

  async function json<T>(response: Response, url: URL): Promise<T> {
    const where = `${url.origin}${url.pathname}`;
    if (!response.ok)
      throw new CatalogSourceError(
        `catalog API ${where} answered ${response.status} ${response.statusText}`,
      );
    try {
      return (await response.json()) as T;
    } catch (error) {
      throw new CatalogSourceError(
        `catalog API ${where} did not answer with JSON`,
        { cause: error },
      );
    }
  }

  /** Every entity matching any of `filters` (each `key=value,key=value`, ANDed within one). */
  async function query(filters: string[], fields?: string): Promise<Entity[]> {
    const found: Entity[] = [];
    let url: URL | undefined = new URL('api/catalog/entities/by-query', base);
    for (const filter of filters) url.searchParams.append('filter', filter);
    url.searchParams.set('limit', String(options.pageSize ?? 500));
    if (fields) url.searchParams.set('fields', fields);
    for (let page = 0; url; page++) {
      if (page >= MAX_PAGES)
        throw new CatalogSourceError(
          `catalog API ${label}: more than ${MAX_PAGES} pages`,
        );
      const current: URL = url;
      const body = await json<Page>(await request(current), current);
      if (!body || !Array.isArray(body.items)) {
        throw new CatalogSourceError(
          `catalog API ${current.origin}${current.pathname} did not answer with { items: [...] }`,
        );
      }
      found.push(...body.items.filter(isEntity));
      const cursor = body.pageInfo?.nextCursor;
      url = cursor ? new URL('api/catalog/entities/by-query', base) : undefined;
      if (url && cursor) {
        url.searchParams.set('cursor', cursor);
        if (fields) url.searchParams.set('fields', fields);
      }
    }
    return found;
  }

  return {
    label,
    async get(ref) {
      const [kind, rest] = splitRef(ref);
      const [namespace, name] = rest;
      const url = new URL(
        `api/catalog/entities/by-name/${[kind, namespace, name]
          .map(encodeURIComponent)
          .join('/')}`,
        base,
      );
      const response = await request(url);
      if (response.status === 404) return undefined;
      return json<Entity>(response, url);
    },
    async membersOf(groupRef) {
      return query([`kind=user,relations.memberof=${groupRef}`]);
    },
    async dependenciesOf(entity) {
      const related = relationsOf(entity, 'dependson');
      return related ?? unique(refsIn(entity, 'dependsOn'));
    },
    async dependentsOf(ref) {
      const fields = 'kind,metadata.name,metadata.namespace';
      const [dependsOn, consumes] = await Promise.all([
        query([`relations.dependson=${ref}`], fields),
        query([`relations.consumesapi=${ref}`], fields),
      ]);
      const found: Dependent[] = [
        ...dependsOn.map(e => ({ ref: refOf(e), via: 'dependsOn' as const })),
        ...consumes.map(e => ({ ref: refOf(e), via: 'consumesApis' as const })),
      ];
      return uniqueDependents(found);
    },
    async serviceRefs() {
      const items = await query(
        SERVICE_KINDS.map(k => `kind=${k}`),
        'kind,metadata.name,metadata.namespace',
      );
      return items.map(refOf);
    },
    async slosOf(entity) {
      // The catalog module writes an SLO entity per SLO of a service's slo.yaml.
      const slos = await query([`kind=slo,spec.service=${refOf(entity)}`]);
      return slos.map(whoOwnsSloOf);
    },
  };
}

/** Refs of the entity's relations of one type (lower-cased), or undefined when it has no relations. */
function relationsOf(entity: Entity, type: string): string[] | undefined {
  const relations = (entity as { relations?: Relation[] }).relations;
  if (!Array.isArray(relations)) return undefined;
  return unique(
    relations
      .filter(r => r?.type?.toLowerCase() === type)
      .map(r => r.targetRef.toLowerCase()),
  );
}

function refOf(entity: Entity): string {
  return normalizeEntityRef(
    `${entity.kind}:${entity.metadata.namespace || 'default'}/${
      entity.metadata.name
    }`,
  );
}

function splitRef(ref: string): [string, [string, string]] {
  const colon = ref.indexOf(':');
  const slash = ref.indexOf('/', colon);
  return [
    ref.slice(0, colon),
    [ref.slice(colon + 1, slash), ref.slice(slash + 1)],
  ];
}

function isEntity(value: unknown): value is Entity {
  const e = value as Entity | undefined;
  return typeof e?.kind === 'string' && typeof e?.metadata?.name === 'string';
}

function parseBaseUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new CatalogSourceError(
      `catalog URL ${JSON.stringify(raw)} is not a URL`,
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new CatalogSourceError(
      `catalog URL ${JSON.stringify(raw)} must be http or https`,
    );
  }
  if (url.username || url.password) {
    throw new CatalogSourceError(
      'catalog URL must not hold credentials; pass a token with --token or PAVER_CATALOG_TOKEN',
    );
  }
  if (!url.pathname.endsWith('/')) url.pathname += '/';
  url.search = '';
  url.hash = '';
  return url;
}
