import {
  CatalogLintError,
  entityRefOf,
  findEntity,
  loadCatalog,
  normalizeEntityRef,
  type LoadedCatalog,
  type LoadedEntity,
} from '@paver/catalog-lint';
import { CatalogSourceError } from '../errors';
import { whoOwnsSloOf, type WhoOwnsSlo } from './slos';

/** A catalog entity as the CLI reads it (the Backstage shape; `relations` only from the API). */
export type Entity = LoadedEntity['entity'];

/** How another entity points at the one asked about. */
export type DependentVia = 'dependsOn' | 'consumesApis';

export interface Dependent {
  ref: string;
  via: DependentVia;
}

/**
 * What `paver who-owns` needs from a catalog, answered from a folder of YAML or from a Backstage
 * catalog API. Every ref in and out is full and lower-cased (`component:default/invoices`).
 */
export interface CatalogSource {
  /** Where the entities come from, for messages: `catalog/` or the portal URL. */
  readonly label: string;
  get(ref: string): Promise<Entity | undefined>;
  /** Users that are members of the Group (their `memberOf`, or the Group's `members`). */
  membersOf(groupRef: string): Promise<Entity[]>;
  /** What the entity depends on: its `dependsOn`, and entities naming it in their `dependencyOf`. */
  dependenciesOf(entity: Entity): Promise<string[]>;
  /** Entities whose `dependsOn` or `consumesApis` point at the ref (or that it lists as `dependencyOf`). */
  dependentsOf(ref: string): Promise<Dependent[]>;
  /** Refs of every Component, API and System, for "did you mean". */
  serviceRefs(): Promise<string[]>;
  /** The SLO entities measuring the entity (the catalog writes them from its slo.yaml). */
  slosOf(entity: Entity): Promise<WhoOwnsSlo[]>;
}

/** Kinds `paver who-owns` looks a name up in, in order. */
export const SERVICE_KINDS = ['component', 'api', 'system'] as const;

/** The refs in `spec[field]` (a string or a list), completed from `entity`, malformed ones skipped. */
export function refsIn(
  entity: Entity,
  field: string,
  defaultKind?: string,
): string[] {
  const value = (entity.spec as Record<string, unknown> | undefined)?.[field];
  const list = value === undefined ? [] : [value].flat();
  const defaultNamespace = entity.metadata.namespace || 'default';
  return list.flatMap(ref => {
    if (typeof ref !== 'string') return [];
    try {
      return [normalizeEntityRef(ref, { defaultKind, defaultNamespace })];
    } catch {
      return []; // catalog-lint reports malformed refs; an on-call lookup shows what resolves
    }
  });
}

/** A catalog folder read with @paver/catalog-lint; every lookup is in memory. */
export async function folderSource(
  dir: string,
  label: string,
): Promise<CatalogSource> {
  let loaded: LoadedCatalog;
  try {
    loaded = await loadCatalog(dir);
  } catch (error) {
    if (error instanceof CatalogLintError)
      throw new CatalogSourceError(error.message, { cause: error });
    throw error;
  }
  const entities = loaded.entities.map(e => e.entity);
  const kindOf = (e: Entity) => e.kind.toLowerCase();
  return {
    label,
    async get(ref) {
      return findEntity(loaded, ref)?.entity;
    },
    async membersOf(groupRef) {
      const group = findEntity(loaded, groupRef)?.entity;
      const listed = new Set(group ? refsIn(group, 'members', 'User') : []);
      return entities.filter(
        e =>
          kindOf(e) === 'user' &&
          (listed.has(entityRefOf(e)) ||
            refsIn(e, 'memberOf', 'Group').includes(groupRef)),
      );
    },
    async dependenciesOf(entity) {
      const ref = entityRefOf(entity);
      const declaredElsewhere = entities
        .filter(e => refsIn(e, 'dependencyOf').includes(ref))
        .map(entityRefOf);
      return unique([...refsIn(entity, 'dependsOn'), ...declaredElsewhere]);
    },
    async dependentsOf(ref) {
      const found: Dependent[] = [];
      for (const e of entities) {
        if (refsIn(e, 'dependsOn').includes(ref))
          found.push({ ref: entityRefOf(e), via: 'dependsOn' });
        if (refsIn(e, 'consumesApis', 'API').includes(ref))
          found.push({ ref: entityRefOf(e), via: 'consumesApis' });
      }
      const self = findEntity(loaded, ref)?.entity;
      for (const other of self ? refsIn(self, 'dependencyOf') : [])
        found.push({ ref: other, via: 'dependsOn' });
      return uniqueDependents(found);
    },
    async serviceRefs() {
      return entities
        .filter(e => (SERVICE_KINDS as readonly string[]).includes(kindOf(e)))
        .map(entityRefOf);
    },
    async slosOf(entity) {
      const ref = entityRefOf(entity);
      return entities
        .filter(e => kindOf(e) === 'slo' && refsIn(e, 'service')[0] === ref)
        .map(whoOwnsSloOf);
    },
  };
}

export function unique(refs: string[]): string[] {
  return [...new Set(refs)].sort();
}

export function uniqueDependents(found: Dependent[]): Dependent[] {
  const seen = new Map(found.map(d => [`${d.ref} ${d.via}`, d]));
  return [...seen.values()].sort(
    (a, b) => a.ref.localeCompare(b.ref) || a.via.localeCompare(b.via),
  );
}
