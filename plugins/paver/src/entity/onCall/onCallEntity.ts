/** An entity as far as the filter and the ref need it. */
export interface NamedEntity {
  kind: string;
  metadata: { name: string; namespace?: string };
}

// What someone paged is looking at: a service, the system it is part of, or an API it serves.
// Each has an owner, and the on-call route falls back to the owner Group's schedule.
const ON_CALL_KINDS = new Set(['component', 'system', 'api']);

/** Whether the entity page shows the On call card: Components, Systems and APIs. */
export function isOnCallEntity(entity: NamedEntity): boolean {
  return ON_CALL_KINDS.has(entity.kind.toLowerCase());
}

/** `component:default/billing-api`: the ref the on-call route and the catalog take. */
export function entityRefOf(entity: NamedEntity): string {
  const namespace = entity.metadata.namespace ?? 'default';
  return `${entity.kind.toLowerCase()}:${namespace}/${entity.metadata.name}`;
}
