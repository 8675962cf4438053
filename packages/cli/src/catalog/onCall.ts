import {
  CatalogLintError,
  entityRefOf,
  scheduleRef,
} from '@paver/catalog-lint';
import {
  InvalidScheduleError,
  isOnCallScheduleEntity,
  isoInZone,
  onCallAt,
  ONCALL_ANNOTATION,
  parseSchedule,
  type EscalationStep,
  type OnCallPeriod,
  type OnCallSchedule,
  type ResolvedEscalationTarget,
} from '@paver/plugin-paver-common';
import { party, type PartyReport } from './party';
import type { CatalogSource, Entity } from './source';

/** One person's stretch on call: instants in UTC, and as the schedule zone's clocks show them. */
export interface OnCallShiftReport {
  user: PartyReport;
  from: string;
  until: string;
  fromLocal: string;
  untilLocal: string;
  /** True when an override, not the rotation, puts them on call. */
  override: boolean;
}

/** Who one escalation target pages right now. */
export interface EscalationTargetReport {
  type: ResolvedEscalationTarget['type'];
  /** This schedule's on-call person, the User, or the other schedule's; null when nobody is on call. */
  user: PartyReport | null;
  /** The other schedule's ref, for a `schedule` target. */
  schedule?: string;
  /** Why the other schedule's person is unknown. */
  problem?: string;
}

/** One escalation level: after `afterMinutes` unacknowledged, these are paged. */
export interface EscalationLevelReport {
  level: number;
  afterMinutes: number;
  targets: EscalationTargetReport[];
}

/** The on-call part of `paver who-owns --json`. */
export interface OnCallReport {
  /** The `paver.dev/oncall` value, as written. */
  rotation: string;
  /** The entity whose annotation named it: the service itself, or its owner Group. */
  from: string;
  /** The schedule's full ref; null when the annotation is not a schedule ref. */
  schedule: string | null;
  /** The moment asked about (`--at`, else now), ISO-8601 in UTC. */
  at: string;
  timeZone: string | null;
  /** Null before the rotation's first hand-off, or when the schedule cannot be read. */
  now: OnCallShiftReport | null;
  next: OnCallShiftReport | null;
  escalation: EscalationLevelReport[];
  /** Why there is no answer: the schedule is missing, is not a schedule, or does not validate. */
  problem: string | null;
}

/**
 * Who the schedule `rotation` (a `paver.dev/oncall` value on `namedBy`) has on call at `at`, who
 * is next and who each escalation level pages, people looked up in `source`. A schedule that
 * cannot be read is a `problem` in the report, not an error: at 3 a.m. the rest still helps.
 */
export async function onCallReport(
  rotation: string,
  namedBy: Entity,
  source: CatalogSource,
  at: Date,
): Promise<OnCallReport> {
  const base = { rotation, from: entityRefOf(namedBy), at: at.toISOString() };
  const found = await findSchedule(rotation, namedBy, source);
  if ('problem' in found) {
    const { ref = null, problem } = found;
    const empty = { timeZone: null, now: null, next: null, escalation: [] };
    return { ...base, schedule: ref, ...empty, problem };
  }
  const context: Context = { source, at, person: personLookup(source) };
  const answer = onCallAt(found.schedule, at);
  const shift = (period: OnCallPeriod) => shiftReport(period, found, context);
  return {
    ...base,
    schedule: found.ref,
    timeZone: found.schedule.timeZone,
    now: answer.now && (await shift(answer.now)),
    next: await shift(answer.next),
    escalation: await Promise.all(
      answer.escalation.map(step => levelReport(step, found, context)),
    ),
    problem: null,
  };
}

interface FoundSchedule {
  ref: string;
  entity: Entity;
  schedule: OnCallSchedule;
}

type Lookup = FoundSchedule | { ref?: string; problem: string };

interface Context {
  source: CatalogSource;
  at: Date;
  person: (written: string, from: Entity) => Promise<PartyReport>;
}

/** The schedule a ref names, read and validated, or why it cannot be. */
async function findSchedule(
  written: string,
  namedBy: Entity,
  source: CatalogSource,
): Promise<Lookup> {
  let ref: string;
  try {
    ref = scheduleRef(written, 'schedule', namedBy.metadata.namespace);
  } catch (error) {
    if (!(error instanceof CatalogLintError)) throw error;
    return { problem: `${ONCALL_ANNOTATION} "${written}": ${error.message}` };
  }
  const entity = await source.get(ref);
  if (!entity) return { ref, problem: `no schedule ${ref} in ${source.label}` };
  if (!isOnCallScheduleEntity(entity)) {
    return { ref, problem: `${ref} is not an on-call schedule` };
  }
  try {
    const schedule = parseSchedule((entity.spec ?? {}).schedule);
    return { ref, entity, schedule };
  } catch (error) {
    if (!(error instanceof InvalidScheduleError)) throw error;
    return { ref, problem: `${ref} does not validate: ${error.message}` };
  }
}

/** Looks each person up once, however many times the answer names them. */
function personLookup(source: CatalogSource): Context['person'] {
  const seen = new Map<string, Promise<PartyReport>>();
  return async (written, from) => {
    let ref: string;
    try {
      ref = scheduleRef(written, 'user', from.metadata.namespace);
    } catch {
      return { ref: written, found: false }; // the linter reports it; show what resolves
    }
    if (!seen.has(ref))
      seen.set(
        ref,
        source.get(ref).then(e => party(ref, e)),
      );
    return seen.get(ref)!;
  };
}

async function shiftReport(
  period: OnCallPeriod,
  { entity, schedule }: FoundSchedule,
  context: Context,
): Promise<OnCallShiftReport> {
  const zone = schedule.timeZone;
  return {
    user: await context.person(period.user, entity),
    from: period.from.toISOString(),
    until: period.until.toISOString(),
    fromLocal: isoInZone(period.from, zone),
    untilLocal: isoInZone(period.until, zone),
    override: period.override === true,
  };
}

async function levelReport(
  step: EscalationStep,
  found: FoundSchedule,
  context: Context,
): Promise<EscalationLevelReport> {
  const targets = await Promise.all(
    step.targets.map(target => targetReport(target, found, context)),
  );
  return { level: step.level, afterMinutes: step.afterMinutes, targets };
}

async function targetReport(
  target: ResolvedEscalationTarget,
  { entity }: FoundSchedule,
  context: Context,
): Promise<EscalationTargetReport> {
  if (target.type === 'on-call') {
    const user = target.user ? await context.person(target.user, entity) : null;
    return { type: target.type, user };
  }
  if (target.type === 'user') {
    return {
      type: target.type,
      user: await context.person(target.ref, entity),
    };
  }
  // One level deep: the other schedule's person on call, not its own escalation, so no cycles.
  const other = await findSchedule(target.ref, entity, context.source);
  if ('problem' in other) {
    const { ref = target.ref, problem } = other;
    return { type: target.type, schedule: ref, user: null, problem };
  }
  const { now } = onCallAt(other.schedule, context.at);
  const user = now ? await context.person(now.user, other.entity) : null;
  return { type: target.type, schedule: other.ref, user };
}
