import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  ANNOTATION_ORIGIN_LOCATION,
  stringifyEntityRef,
  type Entity,
} from '@backstage/catalog-model';
import type { AlphaEntity } from '@backstage/catalog-model/alpha';
import { CustomErrorBase, NotFoundError } from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';

export interface WaitOptions {
  catalog: Pick<CatalogService, 'getEntities' | 'getEntityByRef'>;
  credentials: BackstageCredentials;
  /** `url:<catalogInfoUrl>`: what the catalog stamps on every entity read from the location. */
  originLocation: string;
  locationEntityRef: string;
  /** The entity the file declares, when known: its own processing errors count too. */
  expectedEntityRef?: string;
  timeoutMs: number;
  pollIntervalMs: number;
  signal?: AbortSignal;
  /** Called before every poll (the register action prioritizes the new rows from here). */
  onPoll?: () => Promise<void>;
}

/**
 * The bound passed and the catalog reported no processing error for the location or the entity:
 * the location is registered and the catalog simply has not reached it yet (a backlog).
 */
export class StillProcessingError extends CustomErrorBase {
  name = 'StillProcessingError' as const;
}

/**
 * Polls until the catalog returns the expected entity from the location (without one: any entity
 * from it, preferring a Component);
 * bounded, so a task never waits forever on a location the catalog cannot read. On timeout the
 * error carries the location's (or entity's) own processing error, which is usually the real
 * reason (NotFoundError); without one it is a StillProcessingError.
 */
export async function waitForEntity(options: WaitOptions): Promise<string> {
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    await options.onPoll?.();
    const found = await fromLocation(options);
    if (found) return stringifyEntityRef(found);
    if (Date.now() >= deadline) break;
    await sleep(options.pollIntervalMs, options.signal);
  }
  const what = `no entity from ${options.originLocation.replace(
    /^url:/,
    '',
  )} in the catalog after ${options.timeoutMs / 1000} s`;
  const reason = await processingError(options);
  if (!reason)
    throw new StillProcessingError(`${what}; no processing error reported`);
  throw new NotFoundError(`${what} (${reason})`);
}

async function fromLocation(options: WaitOptions): Promise<Entity | undefined> {
  const { items } = await options.catalog.getEntities(
    {
      filter: {
        [`metadata.annotations.${ANNOTATION_ORIGIN_LOCATION}`]:
          options.originLocation,
      },
      fields: ['kind', 'metadata.name', 'metadata.namespace'],
    },
    { credentials: options.credentials },
  );
  // The Location entity carries the same origin; it is not what the user asked for.
  const entities = items.filter(e => e.kind !== 'Location');
  // A file's entities are served one by one: when the file says which one it is about, only that
  // one counts (its API served first is not the service being visible).
  const expected = options.expectedEntityRef?.toLocaleLowerCase('en-US');
  if (expected) {
    return entities.find(
      e => stringifyEntityRef(e).toLocaleLowerCase('en-US') === expected,
    );
  }
  return entities.find(e => e.kind === 'Component') ?? entities[0];
}

async function processingError(
  options: WaitOptions,
): Promise<string | undefined> {
  const refs = [options.locationEntityRef, options.expectedEntityRef].filter(
    (r): r is string => !!r,
  );
  for (const ref of refs) {
    const entity: AlphaEntity | undefined = await options.catalog
      .getEntityByRef(ref, { credentials: options.credentials })
      .catch(() => undefined);
    const error = entity?.status?.items?.find(i => i.level === 'error')?.error;
    if (error) return `${error.name}: ${error.message}`;
  }
  return undefined;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        reject(signal.reason);
      },
      { once: true },
    );
  });
}
