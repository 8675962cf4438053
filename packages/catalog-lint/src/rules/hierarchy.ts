import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { fieldPath, type CatalogProblem } from '../problems';
import { entityRefOf } from '../refs';
import type { LoadedEntity } from '../types';
import { asRecord, problemAt, stringsOf } from './common';

/**
 * A Group's `spec.children` and each child's `spec.parent` must agree. The catalog accepts either
 * side alone, but when they disagree the org chart an on-call engineer reads depends on which file
 * was processed last. Refs that do not resolve are left to the reference rule.
 */
export function hierarchyProblems(
  item: LoadedEntity,
  index: ReadonlyMap<string, LoadedEntity>,
): CatalogProblem[] {
  if (item.entity.kind.toLowerCase() !== 'group') {
    return [];
  }
  const self = entityRefOf(item.entity);
  const spec = asRecord(item.entity.spec) ?? {};
  const problems: CatalogProblem[] = [];
  for (const [childRef, childIndex] of stringsOf(spec.children)) {
    const child = resolveGroup(childRef, item, index);
    if (child && !groupRefsOf(child, 'parent').includes(self)) {
      problems.push(
        problemAt(
          item,
          fieldPath(['spec', 'children', childIndex ?? 0]),
          `${entityRefOf(
            child.entity,
          )} does not name ${self} as its spec.parent`,
        ),
      );
    }
  }
  for (const [parentRef] of stringsOf(spec.parent)) {
    const parent = resolveGroup(parentRef, item, index);
    if (parent && !groupRefsOf(parent, 'children').includes(self)) {
      problems.push(
        problemAt(
          item,
          'spec.parent',
          `${entityRefOf(
            parent.entity,
          )} does not list ${self} in its spec.children`,
        ),
      );
    }
  }
  return problems;
}

function resolveGroup(
  ref: string,
  from: LoadedEntity,
  index: ReadonlyMap<string, LoadedEntity>,
) {
  const full = normalizeGroupRef(ref, from);
  const found = full ? index.get(full) : undefined;
  return found?.entity.kind.toLowerCase() === 'group' ? found : undefined;
}

function groupRefsOf(
  group: LoadedEntity,
  field: 'parent' | 'children',
): string[] {
  const spec = asRecord(group.entity.spec) ?? {};
  return stringsOf(spec[field]).flatMap(
    ([ref]) => normalizeGroupRef(ref, group) ?? [],
  );
}

function normalizeGroupRef(
  ref: string,
  from: LoadedEntity,
): string | undefined {
  const namespace = from.entity.metadata.namespace;
  try {
    return stringifyEntityRef(
      parseEntityRef(ref, {
        defaultKind: 'Group',
        defaultNamespace: typeof namespace === 'string' ? namespace : undefined,
      }),
    );
  } catch {
    return undefined;
  }
}
