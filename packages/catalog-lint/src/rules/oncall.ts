import {
  parseEntityRef,
  stringifyEntityRef,
  type Entity,
} from '@backstage/catalog-model';
import {
  ONCALL_ANNOTATION,
  RUNBOOK_ANNOTATION,
} from '@paver/plugin-paver-common';
import { fieldPath, type EntityViolation } from '../problems';
import { entityRefOf } from '../refs';
import { asRecord } from './common';

// The on-call rules: pure functions of an entity (and its owner, as whoever holds the catalog
// resolved it), shared by `paver catalog validate` and the catalog processor of
// @paver/plugin-catalog-backend-module-paver.

/** Kinds whose owner is who gets paged: it must be a team, not a person. */
const TEAM_OWNED_KINDS = new Set(['component', 'api', 'system', 'resource']);

// A link titled or typed like this is a runbook, as `paver who-owns` and the runbook processor read it.
const RUNBOOK = /runbook/i;

/** Where the owner check stands before the catalog is asked: nothing to check, broken, or look `ref` up. */
export type OwnerCheck =
  | { kind: 'none' }
  | { kind: 'violation'; violation: EntityViolation }
  | { kind: 'lookup'; ref: string };

/**
 * `spec.owner` of a Component, API, System or Resource must name a Group. A ref of another kind is
 * a violation at once; a Group ref must then be looked up. Missing or malformed owners are the
 * kind validators' and the reference rule's to report, so they need no check here.
 */
export function ownerCheck(entity: Entity): OwnerCheck {
  const owner = asRecord(entity.spec)?.owner;
  if (!TEAM_OWNED_KINDS.has(entity.kind.toLowerCase()) || !nonEmpty(owner)) {
    return { kind: 'none' };
  }
  let parsed;
  try {
    parsed = parseEntityRef(owner, {
      defaultKind: 'Group',
      defaultNamespace: entity.metadata.namespace || undefined,
    });
  } catch {
    return { kind: 'none' };
  }
  if (parsed.kind.toLowerCase() !== 'group') {
    const message = `must refer to a Group, not a ${parsed.kind} ("${owner}"): the on-call pages the owning team`;
    return { kind: 'violation', violation: { field: 'spec.owner', message } };
  }
  return { kind: 'lookup', ref: stringifyEntityRef(parsed) };
}

/**
 * Everything the on-call relies on for one entity: a Group owner that exists, and on a production
 * Component a runbook and an on-call rotation. `owner` is the entity {@link ownerCheck} asked
 * for, or undefined when the catalog has none (or nothing was asked).
 */
export function onCallViolations(
  entity: Entity,
  owner: Entity | undefined,
): EntityViolation[] {
  return [
    ...ownerViolations(entity, owner),
    ...runbookViolations(entity),
    ...rotationViolations(entity, owner),
  ];
}

/** The owner rule alone: see {@link ownerCheck}; a Group that is not in the catalog is a violation. */
export function ownerViolations(
  entity: Entity,
  owner: Entity | undefined,
): EntityViolation[] {
  const check = ownerCheck(entity);
  if (check.kind === 'violation') {
    return [check.violation];
  }
  if (check.kind === 'lookup' && !isEntity(owner, check.ref)) {
    // Worded as the reference rule words it, so a report holding both shows one line.
    const message = `${check.ref} does not exist in the catalog`;
    return [{ field: 'spec.owner', message }];
  }
  return [];
}

/** True for a Component with `spec.lifecycle: production`, the ones the on-call is paged for. */
export function isProductionComponent(entity: Entity): boolean {
  return (
    entity.kind.toLowerCase() === 'component' &&
    asRecord(entity.spec)?.lifecycle === 'production'
  );
}

/** A production Component needs a runbook: a link titled or typed runbook, or the annotation. */
export function runbookViolations(entity: Entity): EntityViolation[] {
  if (!isProductionComponent(entity) || hasRunbook(entity)) {
    return [];
  }
  return [
    {
      field: annotationField(RUNBOOK_ANNOTATION),
      message: `a production Component needs a runbook: set this annotation (a path in the repository or an http(s) URL) or add a metadata.links entry titled Runbook`,
    },
  ];
}

/** A production Component needs an on-call rotation: its own annotation, or its owner Group's. */
export function rotationViolations(
  entity: Entity,
  owner: Entity | undefined,
): EntityViolation[] {
  if (!isProductionComponent(entity) || hasRotation(entity)) {
    return [];
  }
  const check = ownerCheck(entity);
  const found = check.kind === 'lookup' && isEntity(owner, check.ref);
  if (found && hasRotation(owner)) {
    return [];
  }
  const where = found ? check.ref : 'Group';
  return [
    {
      field: annotationField(ONCALL_ANNOTATION),
      message: `a production Component needs an on-call rotation: set this annotation here or on its owner ${where}`,
    },
  ];
}

function hasRunbook(entity: Entity): boolean {
  const links = Array.isArray(entity.metadata.links)
    ? entity.metadata.links
    : [];
  const runbookLink = links.some(link => {
    const { title, type } = asRecord(link) ?? {};
    return [title, type].some(
      text => typeof text === 'string' && RUNBOOK.test(text),
    );
  });
  return runbookLink || nonEmpty(annotationOf(entity, RUNBOOK_ANNOTATION));
}

function hasRotation(entity: Entity): boolean {
  return nonEmpty(annotationOf(entity, ONCALL_ANNOTATION));
}

function isEntity(entity: Entity | undefined, ref: string): entity is Entity {
  return entity !== undefined && entityRefOf(entity) === ref;
}

function annotationOf(entity: Entity, key: string): unknown {
  return asRecord(entity.metadata.annotations)?.[key];
}

function annotationField(key: string): string {
  return fieldPath(['metadata', 'annotations', key]);
}

function nonEmpty(value: unknown): value is string {
  return typeof value === 'string' && value.trim() !== '';
}
