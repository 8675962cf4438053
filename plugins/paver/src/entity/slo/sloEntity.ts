/** An entity as far as the SLO card's filter needs it. */
export interface SloCardEntity {
  apiVersion: string;
  kind: string;
  relations?: { type: string }[];
}

/** Paver's SLO kind, as the catalog module's SLO processor writes it. */
const SLO_API_VERSION = 'paver.dev/v1alpha1';

/**
 * Whether the entity page shows the SLO card: on an SLO entity, and on an entity with SLOs (a
 * Component the SLO processor related to its SLOs with `hasSlo`).
 */
export function hasSloCard(entity: SloCardEntity): boolean {
  const isSlo =
    entity.apiVersion === SLO_API_VERSION &&
    entity.kind.toLowerCase() === 'slo';
  return isSlo || (entity.relations ?? []).some(r => r.type === 'hasSlo');
}

/** `component:default/billing-api`: the ref the SLO route takes. */
export function sloRouteRefOf(entity: {
  kind: string;
  metadata: { name: string; namespace?: string };
}): string {
  const namespace = entity.metadata.namespace ?? 'default';
  return `${entity.kind.toLowerCase()}:${namespace}/${entity.metadata.name}`;
}
