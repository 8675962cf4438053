import type { AddLocationRequest } from '@backstage/catalog-client';
import { ConflictError } from '@backstage/errors';
import { locationSpecToMetadataName } from '@backstage/plugin-catalog-node';
import type { ReconcileOptions } from './reconcile';

type Catalog = ReconcileOptions['catalog'];
type Filter = Record<string, string>;

/**
 * Test double of the catalog's location API as the reconciler uses it: `queryLocations` by type
 * and target, `getEntities` by annotation (an array of filters is OR, as in the real catalog),
 * `addLocation` with the real conflict rule. Records every call; `failAddLocation` makes the
 * given targets fail.
 */
export class FakeLocationCatalog implements Catalog {
  readonly locations = new Set<string>();
  readonly entities: {
    kind: string;
    metadata: { name: string; annotations: Record<string, string> };
  }[] = [];
  readonly added: AddLocationRequest[] = [];
  readonly failAddLocation = new Map<string, Error>();
  readonly credentialsSeen: unknown[] = [];

  async queryLocations(
    request: Parameters<Catalog['queryLocations']>[0],
    options: { credentials: unknown },
  ) {
    this.credentialsSeen.push(options.credentials);
    const query =
      (request as { query?: { type?: string; target?: string } } | undefined)
        ?.query ?? {};
    const items = [...this.locations]
      .filter(
        target =>
          (query.type ?? 'url') === 'url' &&
          (query.target === undefined || query.target === target),
      )
      .map(location);
    return { items, totalItems: items.length, pageInfo: {} };
  }

  async getEntities(
    request: Parameters<Catalog['getEntities']>[0],
    options: { credentials: unknown },
  ) {
    this.credentialsSeen.push(options.credentials);
    const filters = [request?.filter ?? []].flat() as Filter[];
    const matches = (annotations: Record<string, string>, filter: Filter) =>
      Object.entries(filter).every(
        ([key, value]) =>
          annotations[key.replace(/^metadata\.annotations\./, '')] === value,
      );
    const items = this.entities.filter(
      e =>
        filters.length === 0 ||
        filters.some(f => matches(e.metadata.annotations, f)),
    );
    return { items: items as never[] };
  }

  async addLocation(
    request: AddLocationRequest,
    options: { credentials: unknown },
  ) {
    this.credentialsSeen.push(options.credentials);
    this.added.push(request);
    const failure = this.failAddLocation.get(request.target);
    if (failure) throw failure;
    const exists = this.locations.has(request.target);
    if (exists && request.onConflict !== 'refresh')
      throw new ConflictError(`Location url:${request.target} already exists`);
    this.locations.add(request.target);
    return { location: location(request.target), entities: [], exists };
  }
}

function location(target: string) {
  const entityRef = `location:default/${locationSpecToMetadataName({
    type: 'url',
    target,
  })}`;
  return { id: target, type: 'url', target, entityRef };
}
