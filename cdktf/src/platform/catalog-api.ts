import { CatalogReadError } from '../errors';
import { isEntityShaped } from './catalog-files';
import type { CatalogEntity } from './entities';

/** Options for {@link readCatalogApi}. */
export interface CatalogApiOptions {
  /** Backstage base URL, e.g. `http://localhost:7007` (the embedded portal). */
  readonly baseUrl: string;
  /** A Backstage service or user token; sent as a bearer token, never logged. @default none */
  readonly token?: string;
  /** Entities per page. @default 500 */
  readonly pageSize?: number;
  /** Stops a catalog that hands out cursors forever. @default 10_000 */
  readonly maxPages?: number;
}

// Only what the stacks need: `fields` projections make large pages cheap for the catalog.
const FIELDS =
  'kind,metadata.name,metadata.namespace,metadata.description,metadata.annotations,spec.owner,spec.type,spec.lifecycle';

/** Reads Components and Groups from the catalog API, following `pageInfo.nextCursor` to the end. */
export async function readCatalogApi(
  options: CatalogApiOptions,
): Promise<CatalogEntity[]> {
  const base = parseBaseUrl(options.baseUrl);
  const entities: CatalogEntity[] = [];
  for (const kind of ['component', 'group']) {
    entities.push(...(await readKind(base, kind, options)));
  }
  return entities;
}

async function readKind(
  base: URL,
  kind: string,
  options: CatalogApiOptions,
): Promise<CatalogEntity[]> {
  const first = new URL('api/catalog/entities/by-query', base);
  first.searchParams.set('filter', `kind=${kind}`);
  first.searchParams.set('limit', String(options.pageSize ?? 500));
  first.searchParams.set('fields', FIELDS);
  const found: CatalogEntity[] = [];
  const seenCursors = new Set<string>();
  let url: URL | undefined = first;
  for (let page = 0; url; page++) {
    if (page >= (options.maxPages ?? 10_000))
      throw new CatalogReadError(
        `${first.origin}: more than ${page} pages of kind=${kind}`,
      );
    const body = await getPage(url, options.token);
    found.push(...body.items.filter(isEntityShaped));
    const cursor = body.pageInfo?.nextCursor;
    if (cursor && seenCursors.has(cursor))
      throw new CatalogReadError(
        `${first.origin}: the catalog repeated a cursor for kind=${kind}`,
      );
    if (cursor) seenCursors.add(cursor);
    url = cursor ? cursorUrl(base, cursor) : undefined;
  }
  return found;
}

function cursorUrl(base: URL, cursor: string): URL {
  const url = new URL('api/catalog/entities/by-query', base);
  url.searchParams.set('cursor', cursor);
  url.searchParams.set('fields', FIELDS);
  return url;
}

interface Page {
  items: unknown[];
  pageInfo?: { nextCursor?: string };
}

async function getPage(url: URL, token: string | undefined): Promise<Page> {
  const where = `${url.origin}${url.pathname}`; // never the query: cursors are opaque, tokens are secret
  let response: Response;
  try {
    response = await fetch(url, {
      headers: {
        accept: 'application/json',
        ...(token && { authorization: `Bearer ${token}` }),
      },
    });
  } catch (error) {
    throw new CatalogReadError(
      `catalog API ${where} cannot be reached: ${(error as Error).message}`,
      { cause: error },
    );
  }
  if (!response.ok)
    throw new CatalogReadError(
      `catalog API ${where} answered ${response.status} ${response.statusText}`,
    );
  const body = (await response.json().catch(() => undefined)) as
    | Page
    | undefined;
  if (!body || !Array.isArray(body.items))
    throw new CatalogReadError(
      `catalog API ${where} did not answer with { items: [...] }`,
    );
  return body;
}

function parseBaseUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new CatalogReadError(
      `catalog URL ${JSON.stringify(raw)} is not a URL`,
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new CatalogReadError(
      `catalog URL ${JSON.stringify(raw)} must be http or https`,
    );
  }
  if (!url.pathname.endsWith('/')) url.pathname += '/';
  return url;
}
