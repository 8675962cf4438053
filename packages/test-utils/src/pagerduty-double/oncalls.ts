import type { DoubleEscalationPolicy, PagerDutyAccount } from './model';
import type { OnCallShape, Shapes } from './shapes';

/** The `GET /oncalls` filters the double understands, already parsed. */
export interface OnCallsQuery {
  scheduleIds: string[];
  policyIds: string[];
  userIds: string[];
  includeUsers: boolean;
  since: Date;
  until: Date;
  earliest: boolean;
}

interface Entry {
  policy: DoubleEscalationPolicy;
  level: number;
  scheduleId: string | null;
  userId: string;
  start: Date | null;
  end: Date | null;
}

/**
 * The on-call entries PagerDuty lists for `query`: for each escalation policy, each rule (level
 * = its position from 1) and each target, the target schedule's shifts overlapping the window,
 * or for a user target one open-ended entry. Sorted as PagerDuty sorts them: by policy, level,
 * then start.
 */
export function onCallEntries(
  account: PagerDutyAccount,
  query: OnCallsQuery,
): Entry[] {
  const entries: Entry[] = [];
  for (const policy of account.escalationPolicies) {
    if (query.policyIds.length && !query.policyIds.includes(policy.id))
      continue;
    policy.rules.forEach((rule, index) => {
      for (const target of rule.targets) {
        const level = index + 1;
        if (target.type === 'user') {
          entries.push({
            policy,
            level,
            scheduleId: null,
            userId: target.id,
            start: null,
            end: null,
          });
          continue;
        }
        const schedule = account.schedules.find(s => s.id === target.id);
        for (const shift of schedule?.shifts ?? []) {
          if (shift.end <= query.since || shift.start > query.until) continue;
          entries.push({
            policy,
            level,
            scheduleId: target.id,
            userId: shift.user,
            start: shift.start,
            end: shift.end,
          });
        }
      }
    });
  }
  const filtered = entries.filter(
    e =>
      (!query.scheduleIds.length ||
        (e.scheduleId !== null && query.scheduleIds.includes(e.scheduleId))) &&
      (!query.userIds.length || query.userIds.includes(e.userId)),
  );
  return query.earliest ? earliestOnly(filtered) : filtered;
}

/** `earliest=true`: one entry per escalation policy, level and user, the first to start. */
function earliestOnly(entries: Entry[]): Entry[] {
  const seen = new Set<string>();
  return entries.filter(e => {
    const key = `${e.policy.id}/${e.level}/${e.userId}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** An entry as PagerDuty writes it. */
export function onCallShape(
  account: PagerDutyAccount,
  shapes: Shapes,
  entry: Entry,
  includeUsers: boolean,
): OnCallShape {
  const user = account.users.find(u => u.id === entry.userId)!;
  const schedule =
    entry.scheduleId === null
      ? null
      : account.schedules.find(s => s.id === entry.scheduleId)!;
  return {
    escalation_policy: shapes.reference(
      'escalation_policy',
      entry.policy.id,
      entry.policy.name,
    ),
    escalation_level: entry.level,
    schedule: schedule ? shapes.schedule(schedule) : null,
    user: shapes.user(user, includeUsers),
    start: entry.start ? utc(entry.start) : null,
    end: entry.end ? utc(entry.end) : null,
  };
}

/** `time_zone=UTC` output: seconds precision, `Z`. */
const utc = (at: Date) => `${at.toISOString().slice(0, 19)}Z`;
