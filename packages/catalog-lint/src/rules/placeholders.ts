import type { Entity } from '@backstage/catalog-model';

// The catalog backend's PlaceholderProcessor: `{ $text: ./openapi.yaml }` becomes the text of that
// file (`$json`, `$yaml` its parsed content) before any policy or kind validator sees the entity.
const TEXT = '$text';
const PARSED = new Set(['$json', '$yaml']);

/**
 * The entity as the validators would see it after the catalog resolved its placeholders: a text
 * placeholder stands in as a string, a parsed one as an empty mapping. The targets are not read.
 */
export function withPlaceholdersResolved(entity: Entity): Entity {
  return resolve(entity) as Entity;
}

function resolve(value: unknown): unknown {
  if (Array.isArray(value)) {
    return value.map(resolve);
  }
  if (typeof value !== 'object' || value === null) {
    return value;
  }
  const entries = Object.entries(value);
  if (entries.length === 1 && typeof entries[0][1] === 'string') {
    const [key, target] = entries[0];
    if (key === TEXT) {
      return `(text of ${target})`;
    }
    if (PARSED.has(key)) {
      return {};
    }
  }
  return Object.fromEntries(
    entries.map(([key, inner]) => [key, resolve(inner)]),
  );
}
