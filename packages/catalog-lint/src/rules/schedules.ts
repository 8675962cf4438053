import { parseEntityRef, type Entity } from '@backstage/catalog-model';
import {
  isOnCallScheduleEntity,
  ONCALL_ANNOTATION,
  ON_CALL_SCHEDULE_TYPE,
  SCHEDULE_FIELD,
  validateSchedule,
  type OnCallSchedule,
} from '@paver/plugin-paver-common';
import { InvalidEntityRefError } from '../errors';
import { fieldPath, type EntityViolation } from '../problems';
import { entityRefOf, normalizeEntityRef } from '../refs';
import { asRecord } from './common';

// The schedule rules: a schedule Resource's block is valid (the same parser the portal and the CLI
// use), the people and schedules it names exist, and a `paver.dev/oncall` annotation names a
// schedule that exists. Like the rules in oncall.ts, pure functions of an entity and what the
// caller's catalog holds, so `paver catalog validate` and the catalog processor run the same code.

/** What a ref in a schedule must point at: a User, or a Resource that is an on-call schedule. */
export type ScheduleRefKind = 'user' | 'schedule';

const KIND_OF: Record<ScheduleRefKind, string> = {
  user: 'User',
  schedule: 'Resource',
};

/** An entity a schedule rule needs the catalog to hold: the field naming it, its full ref, its kind. */
export interface ScheduleLookup {
  field: string;
  ref: string;
  expected: ScheduleRefKind;
}

/** The schedule rules before the catalog is asked: what is wrong with the entity alone, and what to look up. */
export interface ScheduleCheck {
  violations: EntityViolation[];
  lookups: ScheduleLookup[];
}

/**
 * A ref as a schedule or the `paver.dev/oncall` annotation writes it, completed as the rules
 * complete it: `li.wei` is `user:<namespace>/li.wei`, `payments-primary` is
 * `resource:<namespace>/payments-primary`. Throws {@link InvalidEntityRefError} when malformed or
 * of another kind.
 */
export function scheduleRef(
  ref: string,
  expected: ScheduleRefKind,
  namespace?: string,
): string {
  const kind = KIND_OF[expected];
  const full = normalizeEntityRef(ref, {
    defaultKind: kind,
    defaultNamespace: namespace || undefined,
  });
  const actual = parseEntityRef(full).kind;
  if (actual !== kind.toLowerCase()) {
    throw new InvalidEntityRefError(
      `must refer to a ${kind}, not a ${actual} ("${ref}")`,
    );
  }
  return full;
}

/**
 * The first half of the schedule rules, needing no catalog: an on-call-schedule Resource's
 * `spec.schedule` parses and its refs are well-formed User and schedule refs; an entity's
 * `paver.dev/oncall` is a well-formed schedule ref. The refs to look up come back as `lookups`.
 */
export function scheduleCheck(entity: Entity): ScheduleCheck {
  if (isOnCallScheduleEntity(entity)) return scheduleResourceCheck(entity);
  const annotation = asRecord(entity.metadata.annotations)?.[ONCALL_ANNOTATION];
  if (typeof annotation !== 'string' || annotation.trim() === '') {
    return { violations: [], lookups: [] };
  }
  return checkRefs(entity, [
    {
      field: fieldPath(['metadata', 'annotations', ONCALL_ANNOTATION]),
      ref: annotation.trim(),
      expected: 'schedule',
    },
  ]);
}

/**
 * The second half: each looked-up entity exists, and a schedule ref points at an on-call schedule.
 * `found` is what the caller's catalog holds under each lookup's ref (undefined when nothing).
 */
export function lookupViolations(
  lookups: readonly ScheduleLookup[],
  found: (ref: string) => Entity | undefined,
): EntityViolation[] {
  return lookups.flatMap(({ field, ref, expected }) => {
    const entity = found(ref);
    if (!entity) {
      const hint =
        expected === 'schedule'
          ? `: declare it as a Resource of spec.type ${ON_CALL_SCHEDULE_TYPE}`
          : '';
      return [
        { field, message: `${ref} does not exist in the catalog${hint}` },
      ];
    }
    if (expected === 'schedule' && !isOnCallScheduleEntity(entity)) {
      const type = JSON.stringify(asRecord(entity.spec)?.type ?? null);
      const message = `${ref} is not an on-call schedule: its spec.type is ${type}, not ${ON_CALL_SCHEDULE_TYPE}`;
      return [{ field, message }];
    }
    return [];
  });
}

/** Both halves at once, for a caller that holds the whole catalog in memory. */
export function scheduleViolations(
  entity: Entity,
  found: (ref: string) => Entity | undefined,
): EntityViolation[] {
  const { violations, lookups } = scheduleCheck(entity);
  return [...violations, ...lookupViolations(lookups, found)];
}

function scheduleResourceCheck(entity: Entity): ScheduleCheck {
  const result = validateSchedule(asRecord(entity.spec)?.schedule);
  if (!result.ok) return { violations: result.problems, lookups: [] };
  const check = checkRefs(entity, refsOfSchedule(result.schedule));
  const self = entityRefOf(entity);
  const selfReferences = check.lookups.filter(lookup => lookup.ref === self);
  return {
    violations: [
      ...check.violations,
      ...selfReferences.map(({ field }) => ({
        field,
        message: `names this schedule itself; use { type: on-call } to page its person on call`,
      })),
    ],
    lookups: check.lookups.filter(lookup => lookup.ref !== self),
  };
}

/** Every ref a valid block holds, as written, with the field it is written in. */
function refsOfSchedule(schedule: OnCallSchedule): ScheduleLookup[] {
  const at = (...path: Array<string | number>) =>
    fieldPath([...SCHEDULE_FIELD.split('.'), ...path]);
  return [
    ...schedule.members.map((ref, i) => ({
      field: at('members', i),
      ref,
      expected: 'user' as const,
    })),
    ...schedule.overrides.map((override, i) => ({
      field: at('overrides', i, 'user'),
      ref: override.user,
      expected: 'user' as const,
    })),
    ...schedule.escalation.flatMap((level, i) =>
      level.targets.flatMap((target, j) =>
        target.type === 'on-call'
          ? []
          : [
              {
                field: at('escalation', i, 'targets', j, 'ref'),
                ref: target.ref,
                expected: target.type,
              },
            ],
      ),
    ),
  ];
}

/** Completes each ref in the entity's namespace; malformed or wrong-kind refs become violations. */
function checkRefs(
  entity: Entity,
  written: readonly ScheduleLookup[],
): ScheduleCheck {
  const check: ScheduleCheck = { violations: [], lookups: [] };
  for (const { field, ref, expected } of written) {
    try {
      const full = scheduleRef(ref, expected, entity.metadata.namespace);
      check.lookups.push({ field, ref: full, expected });
    } catch (error) {
      if (!(error instanceof InvalidEntityRefError)) throw error;
      check.violations.push({ field, message: error.message });
    }
  }
  return check;
}
