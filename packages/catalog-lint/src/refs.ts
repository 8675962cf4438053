import {
  DEFAULT_NAMESPACE,
  parseEntityRef,
  stringifyEntityRef,
  type Entity,
} from '@backstage/catalog-model';
import { InvalidEntityRefError } from './errors';
import type { LoadedCatalog, LoadedEntity } from './types';

/** The entity's full, lower-cased ref (`group:default/identity`), as the catalog compares refs. */
export function entityRefOf(entity: Entity): string {
  const namespace = entity.metadata.namespace;
  return stringifyEntityRef({
    kind: entity.kind,
    namespace:
      typeof namespace === 'string' && namespace
        ? namespace
        : DEFAULT_NAMESPACE,
    name: entity.metadata.name,
  });
}

/** How to complete a short ref such as `identity` or `default/identity`. */
export interface RefContext {
  defaultKind?: string;
  defaultNamespace?: string;
}

/** Parses a ref to its full lower-cased form; throws {@link InvalidEntityRefError} if malformed. */
export function normalizeEntityRef(
  ref: string,
  context: RefContext = {},
): string {
  try {
    return stringifyEntityRef(parseEntityRef(ref, context));
  } catch (error) {
    throw new InvalidEntityRefError(
      `"${ref}" is not a valid entity ref: ${(error as Error).message}`,
      {
        cause: error,
      },
    );
  }
}

const indexes = new WeakMap<LoadedEntity[], Map<string, LoadedEntity>>();

/** Ref → the first entity loaded under it; later duplicates are problems, not replacements. */
export function entityIndex(
  loaded: Pick<LoadedCatalog, 'entities'>,
): Map<string, LoadedEntity> {
  let index = indexes.get(loaded.entities);
  if (!index) {
    index = new Map();
    for (const item of loaded.entities) {
      const ref = entityRefOf(item.entity);
      if (!index.has(ref)) {
        index.set(ref, item);
      }
    }
    indexes.set(loaded.entities, index);
  }
  return index;
}

/**
 * Finds an entity by ref (`group:default/identity`, or `identity` with `{ defaultKind: 'Group' }`).
 * Returns undefined when absent; throws {@link InvalidEntityRefError} when the ref is malformed.
 */
export function findEntity(
  loaded: Pick<LoadedCatalog, 'entities'>,
  ref: string,
  context: RefContext = {},
): LoadedEntity | undefined {
  return entityIndex(loaded).get(normalizeEntityRef(ref, context));
}
