import type { CatalogApi } from '@backstage/plugin-catalog-react';
import { entityRefOf } from './onCallEntity';

/** A catalog entity as far as the card reads one. */
export interface CatalogEntityLike {
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    title?: string;
    annotations?: Record<string, string>;
    links?: { url: string; title?: string }[];
  };
  spec?: Record<string, unknown>;
  relations?: { type: string; targetRef: string }[];
}

/** Someone on the owning team, as the card lists them. */
export interface TeamMember {
  entityRef: string;
  name: string;
  email?: string;
}

/** Who owns the entity: the owner (a Group, or a User) and, for a Group, its members. */
export interface OwningTeam {
  entityRef: string;
  name: string;
  members: TeamMember[];
}

/** The owner's ref (`group:default/payments`), from the catalog's `ownedBy` relation. */
export function ownerRefOf(entity: CatalogEntityLike): string | undefined {
  // The relation is the owner resolved to a full ref; `spec.owner` may be the short form.
  return entity.relations?.find(r => r.type === 'ownedBy')?.targetRef;
}

/**
 * Reads the entity's owner and its members from the catalog: the Users whose `memberOf` names the
 * Group (the same relation the Group's `hasMember` mirrors), by display name. Undefined when the
 * entity has no owner; an owner the catalog does not have is still named, by its ref.
 */
export async function loadOwningTeam(
  catalogApi: Pick<CatalogApi, 'getEntityByRef' | 'getEntities'>,
  entity: CatalogEntityLike,
): Promise<OwningTeam | undefined> {
  const ownerRef = ownerRefOf(entity);
  if (!ownerRef) return undefined;
  const owner = (await catalogApi.getEntityByRef(ownerRef)) as
    | CatalogEntityLike
    | undefined;
  const name = owner ? displayName(owner) : nameOfRef(ownerRef);
  if (!owner || owner.kind.toLowerCase() !== 'group') {
    return { entityRef: ownerRef, name, members: [] };
  }
  const { items } = await catalogApi.getEntities({
    filter: { kind: 'User', 'relations.memberOf': ownerRef },
    fields: ['kind', 'metadata', 'spec.profile'],
  });
  const members = (items as CatalogEntityLike[])
    .map(user => ({
      entityRef: entityRefOf(user),
      name: displayName(user),
      email: profileOf(user).email,
    }))
    .sort((a, b) => a.name.localeCompare(b.name));
  return { entityRef: ownerRef, name, members };
}

function displayName(entity: CatalogEntityLike): string {
  return (
    profileOf(entity).displayName ??
    entity.metadata.title ??
    entity.metadata.name
  );
}

function profileOf(entity: CatalogEntityLike): {
  displayName?: string;
  email?: string;
} {
  return (
    (entity.spec?.profile as { displayName?: string; email?: string }) ?? {}
  );
}

// `group:default/payments` → `payments`.
function nameOfRef(ref: string): string {
  return ref.slice(ref.lastIndexOf('/') + 1).replace(/^[^:]*:/, '');
}
