import {
  ANNOTATION_ORIGIN_LOCATION,
  stringifyEntityRef,
  type Entity,
} from '@backstage/catalog-model';
import type { AddLocationRequest } from '@backstage/catalog-client';
import { ConflictError } from '@backstage/errors';
import { locationSpecToMetadataName } from '@backstage/plugin-catalog-node';
import { entity } from './catalogEntities';

/**
 * A catalog that behaves like the real one where registration is concerned: a location holds
 * entities only after it has been processed a given number of polls later, an identical location
 * is a conflict unless `onConflict: 'refresh'`, and a location it cannot read carries an error
 * in its status. Counts calls so tests can assert what was asked.
 */
export class FakeCatalog {
  readonly calls = {
    addLocation: 0,
    refreshEntity: [] as string[],
    getEntities: 0,
  };
  private readonly locations = new Set<string>();
  private readonly stored: Entity[] = [];
  private pending: { url: string; pollsLeft: number }[] = [];

  constructor(
    private readonly documents: Record<string, Entity[]>,
    private readonly options: {
      pollsUntilProcessed?: number;
      addLocationError?: Error;
      unreadable?: string;
    } = {},
  ) {}

  async addLocation(request: AddLocationRequest) {
    this.calls.addLocation++;
    if (this.options.addLocationError) throw this.options.addLocationError;
    const exists = this.locations.has(request.target);
    if (exists && request.onConflict !== 'refresh') {
      throw new ConflictError(`Location url:${request.target} already exists`);
    }
    this.locations.add(request.target);
    if (!exists) {
      // The real catalog stores the Location entity itself with the same origin annotation.
      const location = entity(
        'Location',
        locationSpecToMetadataName({ type: 'url', target: request.target }),
      );
      location.metadata.annotations = {
        [ANNOTATION_ORIGIN_LOCATION]: `url:${request.target}`,
      };
      this.stored.push(location);
    }
    this.schedule(request.target);
    const location = {
      id: request.target,
      type: 'url',
      target: request.target,
    };
    return { location, entities: [], exists };
  }

  async refreshEntity(ref: string) {
    this.calls.refreshEntity.push(ref);
    const url = [...this.locations].find(u => ref === locationRef(u));
    if (url) this.schedule(url);
  }

  async getEntities(request?: { filter?: Record<string, string> }) {
    this.calls.getEntities++;
    this.process();
    const [key, value] = Object.entries(request?.filter ?? {})[0] ?? [];
    const annotation = key?.replace(/^metadata\.annotations\./, '');
    return {
      items: this.stored.filter(
        e => !annotation || e.metadata.annotations?.[annotation] === value,
      ),
    };
  }

  async getEntityByRef(ref: string) {
    const url = [...this.locations].find(u => ref === locationRef(u));
    if (url && url === this.options.unreadable) {
      const location = entity(
        'Location',
        locationSpecToMetadataName({ type: 'url', target: url }),
      );
      return {
        ...location,
        status: {
          items: [
            {
              type: 'backstage.io/catalog-processing',
              level: 'error',
              message: 'x',
              error: {
                name: 'NotAllowedError',
                message: `Reading from '${url}' is not allowed`,
              },
            },
          ],
        },
      } as Entity;
    }
    return this.stored.find(e => stringifyEntityRef(e) === ref);
  }

  private schedule(url: string) {
    this.pending.push({
      url,
      pollsLeft: this.options.pollsUntilProcessed ?? 0,
    });
  }

  private process() {
    for (const job of this.pending) {
      if (job.pollsLeft-- > 0 || job.url === this.options.unreadable) continue;
      for (const doc of this.documents[job.url] ?? []) {
        const ref = stringifyEntityRef(doc);
        if (this.stored.some(e => stringifyEntityRef(e) === ref)) continue;
        this.stored.push({
          ...doc,
          metadata: {
            ...doc.metadata,
            annotations: { [ANNOTATION_ORIGIN_LOCATION]: `url:${job.url}` },
          },
        });
      }
    }
    this.pending = this.pending.filter(
      j => j.pollsLeft >= 0 && j.url !== this.options.unreadable,
    );
  }
}

export function locationRef(url: string): string {
  return `location:default/${locationSpecToMetadataName({
    type: 'url',
    target: url,
  })}`;
}
