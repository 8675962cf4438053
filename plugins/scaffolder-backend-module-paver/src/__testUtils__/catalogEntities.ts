import type { Entity } from '@backstage/catalog-model';

/** A minimal catalog entity for fakes. */
export function entity(
  kind: string,
  name: string,
  spec: Entity['spec'] = {},
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind,
    metadata: { name, namespace: 'default' },
    spec,
  };
}

/** The organisation the golden paths' fixture answers refer to. */
export const organisation: Entity[] = [
  entity('Group', 'payments', { type: 'team', children: [] }),
  entity('Group', 'identity', { type: 'team', children: [] }),
  entity('Group', 'messaging', { type: 'team', children: [] }),
  entity('System', 'billing', { owner: 'group:default/payments' }),
  entity('System', 'identity-platform', { owner: 'group:default/identity' }),
  entity('System', 'notifications', { owner: 'group:default/messaging' }),
  entity('User', 'priya.raman', { memberOf: ['payments'] }),
];
