import { Duration, IANAZone } from 'luxon';
import { InvalidScheduleError, type ScheduleProblem } from './errors';
import {
  SCHEDULE_FIELD,
  type EscalationLevel,
  type EscalationTarget,
  type OnCallSchedule,
  type ScheduleOverride,
} from './schedule';
import {
  localDateTimeExists,
  parseIsoInstant,
  parseLocalDateTime,
} from './wallClock';

/** What {@link validateSchedule} found: the schedule, or every problem with the block. */
export type ScheduleValidation =
  | { ok: true; schedule: OnCallSchedule }
  | { ok: false; problems: ScheduleProblem[] };

/**
 * Reads a `spec.schedule` block as YAML or JSON gives it, reporting every field at fault (named
 * from `field`, the block's own path) rather than stopping at the first, so the linter lists them
 * all. The portal, the catalog processor and the CLI all read schedules through this function.
 */
export function validateSchedule(
  value: unknown,
  field: string = SCHEDULE_FIELD,
): ScheduleValidation {
  const problems: ScheduleProblem[] = [];
  const schedule = readBlock(value, field, (at, message) =>
    problems.push({ field: at, message }),
  );
  return schedule && problems.length === 0
    ? { ok: true, schedule }
    : { ok: false, problems };
}

/** {@link validateSchedule}, throwing {@link InvalidScheduleError} when the block has problems. */
export function parseSchedule(
  value: unknown,
  field: string = SCHEDULE_FIELD,
): OnCallSchedule {
  const result = validateSchedule(value, field);
  if (!result.ok) throw new InvalidScheduleError(result.problems);
  return result.schedule;
}

type Report = (field: string, message: string) => void;

const BLOCK_FIELDS = [
  'timeZone',
  'rotation',
  'handoff',
  'members',
  'overrides',
  'escalation',
];
const OVERRIDE_FIELDS = ['user', 'start', 'end'];
const LEVEL_FIELDS = ['afterMinutes', 'targets'];
const TARGET_FIELDS = ['type', 'ref'];
const TARGET_TYPES = ['on-call', 'user', 'schedule'];

const HOUR_MS = 3_600_000;
// `+01:00`, `UTC+1`, `GMT-5`: Intl accepts them, but a fixed offset never changes for DST, so a
// team in Berlin would hand off an hour off for half the year.
const FIXED_OFFSET = /^(?:UTC|GMT)?[+-]\d/i;
const ZONE_EXAMPLE = 'an IANA time zone such as Europe/Berlin';
const ROTATION_EXAMPLE =
  'an ISO-8601 duration such as P1W (weekly), P1D (daily) or PT12H';
const HANDOFF_EXAMPLE =
  'the first hand-off as a local date and time in timeZone, such as 2026-01-05T09:00';
const USER_EXAMPLE = 'a User ref such as user:default/li.wei';
const INSTANT_EXAMPLE =
  'an ISO-8601 instant with an offset, such as 2026-03-02T09:00:00+01:00';

function readBlock(
  value: unknown,
  field: string,
  report: Report,
): OnCallSchedule | undefined {
  const block = asRecord(value);
  if (!block) {
    report(
      field,
      'must be a mapping with timeZone, rotation, handoff, members and escalation',
    );
    return undefined;
  }
  reportUnknownFields(block, BLOCK_FIELDS, field, 'a schedule', report);
  const timeZone = readTimeZone(block.timeZone, `${field}.timeZone`, report);
  const rotation = readRotation(block.rotation, `${field}.rotation`, report);
  const handoff = readHandoff(
    block.handoff,
    `${field}.handoff`,
    timeZone,
    report,
  );
  const members = readMembers(block.members, `${field}.members`, report);
  const overrides = readOverrides(
    block.overrides,
    `${field}.overrides`,
    report,
  );
  const escalation = readEscalation(
    block.escalation,
    `${field}.escalation`,
    report,
  );
  if (!timeZone || !rotation || !handoff || !members || !overrides) {
    return undefined;
  }
  return escalation
    ? { timeZone, rotation, handoff, members, overrides, escalation }
    : undefined;
}

function readTimeZone(
  value: unknown,
  field: string,
  report: Report,
): string | undefined {
  if (!isText(value)) return required(field, ZONE_EXAMPLE, value, report);
  if (FIXED_OFFSET.test(value)) {
    report(
      field,
      `"${value}" is a fixed offset, which ignores daylight saving time; use an IANA name such as Europe/Berlin`,
    );
    return undefined;
  }
  if (!IANAZone.isValidZone(value)) {
    report(
      field,
      `"${value}" is not an IANA time zone; use a name such as Europe/Berlin`,
    );
    return undefined;
  }
  return value;
}

function readRotation(
  value: unknown,
  field: string,
  report: Report,
): string | undefined {
  if (!isText(value)) return required(field, ROTATION_EXAMPLE, value, report);
  const duration = Duration.fromISO(value);
  if (!duration.isValid) {
    report(field, `"${value}" is not ${ROTATION_EXAMPLE}`);
    return undefined;
  }
  const { years, quarters, months } = duration.toObject();
  if (years || quarters || months) {
    report(
      field,
      `"${value}" counts months or years, which have no fixed length; use weeks, days or hours (P4W, not P1M)`,
    );
    return undefined;
  }
  if (duration.as('milliseconds') < HOUR_MS) {
    report(field, `"${value}" is shorter than one hour (PT1H)`);
    return undefined;
  }
  return value;
}

function readHandoff(
  value: unknown,
  field: string,
  timeZone: string | undefined,
  report: Report,
): string | undefined {
  if (!isText(value)) return required(field, HANDOFF_EXAMPLE, value, report);
  const wall = parseLocalDateTime(value);
  if (wall === undefined) {
    report(
      field,
      `"${value}" must be a valid local date and time without an offset, such as 2026-01-05T09:00: it is read in timeZone`,
    );
    return undefined;
  }
  if (timeZone && !localDateTimeExists(wall, timeZone)) {
    report(
      field,
      `"${value}" does not exist in ${timeZone}: the clocks skip it when daylight saving time starts`,
    );
    return undefined;
  }
  return value;
}

function readMembers(
  value: unknown,
  field: string,
  report: Report,
): string[] | undefined {
  if (!Array.isArray(value) || value.length === 0) {
    report(
      field,
      `must list at least one member in rotation order, each ${USER_EXAMPLE}`,
    );
    return undefined;
  }
  let valid = true;
  value.forEach((member, index) => {
    if (!isText(member)) {
      report(`${field}[${index}]`, `must be ${USER_EXAMPLE}`);
      valid = false;
    }
  });
  return valid ? (value as string[]) : undefined;
}

function readOverrides(
  value: unknown,
  field: string,
  report: Report,
): ScheduleOverride[] | undefined {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) {
    report(field, 'must be a list of { user, start, end }');
    return undefined;
  }
  const overrides = value.map((item, index) =>
    readOverride(item, `${field}[${index}]`, report),
  );
  if (!overrides.every(isDefined)) return undefined;
  return reportOverlaps(overrides, field, report) ? undefined : overrides;
}

function readOverride(
  value: unknown,
  field: string,
  report: Report,
): ScheduleOverride | undefined {
  const override = asRecord(value);
  if (!override) {
    report(field, 'must be a mapping with user, start and end');
    return undefined;
  }
  reportUnknownFields(override, OVERRIDE_FIELDS, field, 'an override', report);
  const user = isText(override.user)
    ? override.user
    : required(`${field}.user`, USER_EXAMPLE, override.user, report);
  const start = readInstant(override.start, `${field}.start`, report);
  const end = readInstant(override.end, `${field}.end`, report);
  if (start && end && end <= start) {
    report(
      `${field}.end`,
      `must be after start (${start.toISOString()}), got ${end.toISOString()}`,
    );
    return undefined;
  }
  return user && start && end ? { user, start, end } : undefined;
}

function readInstant(
  value: unknown,
  field: string,
  report: Report,
): Date | undefined {
  const instant = isText(value) ? parseIsoInstant(value) : undefined;
  return instant ?? required(field, INSTANT_EXAMPLE, value, report);
}

/** Reports each override that starts before an earlier one ends; true when there was one. */
function reportOverlaps(
  overrides: readonly ScheduleOverride[],
  field: string,
  report: Report,
): boolean {
  const byStart = overrides
    .map((override, index) => ({ override, index }))
    .sort((a, b) => a.override.start.getTime() - b.override.start.getTime());
  let overlapped = false;
  byStart.slice(1).forEach((current, position) => {
    const previous = byStart[position];
    if (current.override.start < previous.override.end) {
      report(
        `${field}[${current.index}]`,
        `overlaps overrides[${
          previous.index
        }] (${previous.override.start.toISOString()} to ${previous.override.end.toISOString()}): one person is on call at a time`,
      );
      overlapped = true;
    }
  });
  return overlapped;
}

function readEscalation(
  value: unknown,
  field: string,
  report: Report,
): EscalationLevel[] | undefined {
  if (!Array.isArray(value) || value.length === 0) {
    report(
      field,
      'must list at least one level, such as { afterMinutes: 0, targets: [{ type: on-call }] }',
    );
    return undefined;
  }
  const levels = value.map((item, index) =>
    readLevel(item, `${field}[${index}]`, report),
  );
  levels.forEach((level, index) => {
    const previous = levels[index - 1];
    if (level && previous && level.afterMinutes <= previous.afterMinutes) {
      report(
        `${field}[${index}].afterMinutes`,
        `must be more than the previous level's afterMinutes (${previous.afterMinutes})`,
      );
      levels[index] = undefined;
    }
  });
  return levels.every(isDefined) ? levels : undefined;
}

function readLevel(
  value: unknown,
  field: string,
  report: Report,
): EscalationLevel | undefined {
  const level = asRecord(value);
  if (!level) {
    report(field, 'must be a mapping with afterMinutes and targets');
    return undefined;
  }
  reportUnknownFields(
    level,
    LEVEL_FIELDS,
    field,
    'an escalation level',
    report,
  );
  const { afterMinutes } = level;
  const minutes =
    typeof afterMinutes === 'number' &&
    Number.isInteger(afterMinutes) &&
    afterMinutes >= 0
      ? afterMinutes
      : required(
          `${field}.afterMinutes`,
          'a whole number of minutes, 0 or more',
          afterMinutes,
          report,
        );
  const targets = readTargets(level.targets, `${field}.targets`, report);
  return minutes !== undefined && targets
    ? { afterMinutes: minutes, targets }
    : undefined;
}

function readTargets(
  value: unknown,
  field: string,
  report: Report,
): EscalationTarget[] | undefined {
  if (!Array.isArray(value) || value.length === 0) {
    report(
      field,
      'must list at least one target: { type: on-call }, { type: user, ref: <User ref> } or { type: schedule, ref: <schedule ref> }',
    );
    return undefined;
  }
  const targets = value.map((item, index) =>
    readTarget(item, `${field}[${index}]`, report),
  );
  return targets.every(isDefined) ? targets : undefined;
}

function readTarget(
  value: unknown,
  field: string,
  report: Report,
): EscalationTarget | undefined {
  const target = asRecord(value);
  if (!target) {
    report(field, 'must be a mapping with a type (on-call, user or schedule)');
    return undefined;
  }
  reportUnknownFields(target, TARGET_FIELDS, field, 'a target', report);
  const { type, ref } = target;
  if (typeof type !== 'string' || !TARGET_TYPES.includes(type)) {
    return required(`${field}.type`, 'on-call, user or schedule', type, report);
  }
  if (type === 'on-call') {
    if (ref === undefined) return { type };
    report(
      `${field}.ref`,
      "is not taken by an on-call target, which pages this schedule's person on call",
    );
    return undefined;
  }
  if (isText(ref)) return { type: type as 'user' | 'schedule', ref };
  const example =
    type === 'user'
      ? USER_EXAMPLE
      : 'a schedule ref such as resource:default/platform-primary';
  return required(`${field}.ref`, example, ref, report);
}

function reportUnknownFields(
  record: Record<string, unknown>,
  known: readonly string[],
  field: string,
  what: string,
  report: Report,
): void {
  for (const key of Object.keys(record)) {
    if (!known.includes(key)) {
      report(
        `${field}.${key}`,
        `is not a field of ${what}; expected ${known.join(', ')}`,
      );
    }
  }
}

/** Reports a missing or mistyped value: `is required: …` or `must be …, got …`; always undefined. */
function required(
  field: string,
  what: string,
  value: unknown,
  report: Report,
): undefined {
  report(
    field,
    value === undefined || value === null
      ? `is required: ${what}`
      : `must be ${what}, got ${JSON.stringify(value)}`,
  );
  return undefined;
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

function isText(value: unknown): value is string {
  return typeof value === 'string' && value.trim() !== '';
}

function isDefined<T>(value: T | undefined): value is T {
  return value !== undefined;
}
