import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { fieldPath, type CatalogProblem } from '../problems';
import type { LoadedEntity } from '../types';
import { asRecord, problemAt, stringsOf } from './common';

/** A spec field holding entity refs, as the catalog model declares it. */
interface RefField {
  field: string;
  /** Kind assumed when the ref omits one; without it the ref must name its kind. */
  defaultKind?: string;
  /** Kinds the ref may point at; any kind when omitted. */
  allowedKinds?: readonly string[];
}

const OWNER: RefField = {
  field: 'owner',
  defaultKind: 'Group',
  allowedKinds: ['Group', 'User'],
};
const SYSTEM: RefField = {
  field: 'system',
  defaultKind: 'System',
  allowedKinds: ['System'],
};
const DEPENDENCIES: RefField[] = [
  { field: 'dependsOn' },
  { field: 'dependencyOf' },
];

// Mirrors the relation fields of @backstage/catalog-model's built-in kinds.
const REF_FIELDS_BY_KIND: Record<string, readonly RefField[]> = {
  component: [
    SYSTEM,
    {
      field: 'subcomponentOf',
      defaultKind: 'Component',
      allowedKinds: ['Component'],
    },
    { field: 'providesApis', defaultKind: 'API', allowedKinds: ['API'] },
    { field: 'consumesApis', defaultKind: 'API', allowedKinds: ['API'] },
    ...DEPENDENCIES,
  ],
  api: [SYSTEM],
  resource: [SYSTEM, ...DEPENDENCIES],
  system: [
    { field: 'domain', defaultKind: 'Domain', allowedKinds: ['Domain'] },
  ],
  domain: [
    { field: 'subdomainOf', defaultKind: 'Domain', allowedKinds: ['Domain'] },
  ],
  user: [{ field: 'memberOf', defaultKind: 'Group', allowedKinds: ['Group'] }],
  group: [
    { field: 'parent', defaultKind: 'Group', allowedKinds: ['Group'] },
    { field: 'children', defaultKind: 'Group', allowedKinds: ['Group'] },
    { field: 'members', defaultKind: 'User', allowedKinds: ['User'] },
  ],
};

/**
 * Every ref in the entity's spec must resolve within the loaded set and point at a kind that
 * makes sense there. `spec.owner` is checked on every kind (Templates have owners too).
 */
export function referenceProblems(
  item: LoadedEntity,
  known: ReadonlySet<string>,
): CatalogProblem[] {
  const spec = asRecord(item.entity.spec);
  if (!spec) {
    return [];
  }
  const fields = [
    OWNER,
    ...(REF_FIELDS_BY_KIND[item.entity.kind.toLowerCase()] ?? []),
  ];
  return fields.flatMap(refField =>
    stringsOf(spec[refField.field]).flatMap(([ref, index]) => {
      const path = fieldPath(
        index === undefined
          ? ['spec', refField.field]
          : ['spec', refField.field, index],
      );
      const message = refMessage(ref, refField, item, known);
      return message ? [problemAt(item, path, message)] : [];
    }),
  );
}

function refMessage(
  ref: string,
  refField: RefField,
  item: LoadedEntity,
  known: ReadonlySet<string>,
) {
  let parsed;
  try {
    parsed = parseEntityRef(ref, {
      defaultKind: refField.defaultKind,
      // Refs without a namespace stay in the entity's own namespace, as the catalog resolves them.
      defaultNamespace: namespaceOf(item),
    });
  } catch (error) {
    return `"${ref}" is not a valid entity ref: ${(error as Error).message}`;
  }
  const allowed = refField.allowedKinds;
  if (
    allowed &&
    !allowed.some(kind => kind.toLowerCase() === parsed.kind.toLowerCase())
  ) {
    return `must refer to a ${allowed.join(' or ')}, not a ${
      parsed.kind
    } ("${ref}")`;
  }
  const full = stringifyEntityRef(parsed);
  return known.has(full) ? undefined : `${full} does not exist in the catalog`;
}

function namespaceOf(item: LoadedEntity): string | undefined {
  const namespace = item.entity.metadata.namespace;
  return typeof namespace === 'string' ? namespace : undefined;
}
