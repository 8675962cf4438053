import { optional } from './fields';
import type { Entity } from './source';

/** A person or team as the report shows it. */
export interface PartyReport {
  ref: string;
  /** False when the ref names nothing in the catalog (the rest is then unknown). */
  found: boolean;
  displayName?: string;
  email?: string;
}

/** The entity under `ref` as a report shows it: its profile's display name and email. */
export function party(ref: string, entity: Entity | undefined): PartyReport {
  if (!entity) return { ref, found: false };
  const profile = ((entity.spec as Record<string, any> | undefined)?.profile ??
    {}) as Record<string, unknown>;
  return {
    ref,
    found: true,
    ...optional('displayName', profile.displayName ?? entity.metadata.title),
    ...optional('email', profile.email),
  };
}

/** `Ada Lovelace <ada@example.com> (user:default/ada)`, or what is known of it. */
export function describeParty(p: PartyReport): string {
  if (!p.found) return `${p.ref} (not in the catalog)`;
  const name = p.displayName ? `${p.displayName} ` : '';
  const email = p.email ? `<${p.email}> ` : '';
  return `${name}${email}${name || email ? `(${p.ref})` : p.ref}`;
}
