// An on-call schedule as the catalog declares it: a Resource of `spec.type: on-call-schedule`
// whose `spec.schedule` block is read by parseSchedule (parse.ts) and answered by onCallAt.

/** `spec.type` of a Resource that is an on-call schedule. */
export const ON_CALL_SCHEDULE_TYPE = 'on-call-schedule';

/** Where a schedule Resource holds its block; problems name fields below it. */
export const SCHEDULE_FIELD = 'spec.schedule';

/** Someone on call instead of the rotation's member, for a window given as absolute instants. */
export interface ScheduleOverride {
  /** A User ref, as written (`user:default/li.wei`). */
  user: string;
  start: Date;
  /** Exclusive: the rotation (or the next override) takes over at this instant. */
  end: Date;
}

/** Who an escalation level pages. */
export type EscalationTarget =
  /** Whoever this schedule has on call at that moment. */
  | { type: 'on-call' }
  /** One person, whatever the rotation says. */
  | { type: 'user'; ref: string }
  /** Whoever another schedule has on call at that moment. */
  | { type: 'schedule'; ref: string };

/** One level of the escalation policy: after this many minutes unacknowledged, page these. */
export interface EscalationLevel {
  afterMinutes: number;
  targets: EscalationTarget[];
}

/** A validated `spec.schedule` block (see parseSchedule for the rules each field follows). */
export interface OnCallSchedule {
  /** The IANA zone the rotation counts in: `Europe/Berlin`. */
  timeZone: string;
  /** One shift as an ISO-8601 duration in weeks, days or hours (`P1W`, `P1D`, `PT12H`), counted on the zone's wall clock. */
  rotation: string;
  /** The first hand-off, a local date and time in `timeZone`: `2026-01-05T09:00`. */
  handoff: string;
  /** User refs in rotation order: shift n belongs to `members[n % members.length]`. */
  members: string[];
  /** In the order written; they never overlap. */
  overrides: ScheduleOverride[];
  /** In order of increasing `afterMinutes`; at least one level. */
  escalation: EscalationLevel[];
}

/** The fields of a catalog entity that say whether it is a schedule; any entity shape fits. */
export interface EntityLike {
  kind: string;
  spec?: unknown;
}

/** True for a Resource of `spec.type: on-call-schedule`, whatever its block holds. */
export function isOnCallScheduleEntity(entity: EntityLike): boolean {
  const spec = entity.spec as { type?: unknown } | undefined;
  return (
    entity.kind.toLowerCase() === 'resource' &&
    spec?.type === ON_CALL_SCHEDULE_TYPE
  );
}
