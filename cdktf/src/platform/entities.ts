/** The part of a Backstage entity the platform app reads. */
export interface CatalogEntity {
  readonly apiVersion?: string;
  readonly kind: string;
  readonly metadata: {
    readonly name: string;
    readonly namespace?: string;
    readonly description?: string;
    readonly annotations?: Record<string, string>;
  };
  readonly spec?: Record<string, unknown>;
}

/** `component:default/invoices`, lower-cased as Backstage compares refs. */
export function entityRef(entity: CatalogEntity): string {
  const namespace = entity.metadata.namespace ?? 'default';
  return `${entity.kind}:${namespace}/${entity.metadata.name}`.toLowerCase();
}

export function isKind(entity: CatalogEntity, kind: string): boolean {
  return entity.kind.toLowerCase() === kind.toLowerCase();
}
