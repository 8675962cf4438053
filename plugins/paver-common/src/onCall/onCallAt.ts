import { rotationClock, type RotationClock } from './rotation';
import type {
  EscalationTarget,
  OnCallSchedule,
  ScheduleOverride,
} from './schedule';

/** One stretch of time one person is on call: a rotation shift (cut by overrides) or an override. */
export interface OnCallPeriod {
  /** A User ref, as the schedule writes it. */
  user: string;
  from: Date;
  /** Exclusive: the next period starts here. */
  until: Date;
  /** True when an override, not the rotation, puts this person on call; absent otherwise. */
  override?: boolean;
}

/** An escalation target with this schedule's on-call person filled in. */
export type ResolvedEscalationTarget =
  | { type: 'on-call'; user: string | null }
  | { type: 'user'; ref: string }
  | { type: 'schedule'; ref: string };

/** One escalation level as it stands at the moment asked about. */
export interface EscalationStep {
  /** 1 for the first level. */
  level: number;
  afterMinutes: number;
  targets: ResolvedEscalationTarget[];
}

/** Who is on call at a moment, who comes next, and who is paged if nobody answers. */
export interface OnCallAnswer {
  /** Null only before the first hand-off, outside any override: the rotation has not started. */
  now: OnCallPeriod | null;
  /** The period that starts when `now` ends (before the first hand-off: the first one that starts). */
  next: OnCallPeriod;
  escalation: EscalationStep[];
}

/**
 * Who `schedule` has on call at `at`. Shifts are counted on the schedule zone's wall clock, so a
 * Monday 09:00 hand-off stays 09:00 local across a DST change; an override replaces the rotation's
 * member for its window, cutting the shift it falls in (or the two it spans). `next` is the period
 * after `now` ends, which may be the same person (a one-member rotation, or an override by the
 * member whose shift it is). Before the first hand-off nobody is on call unless an override says
 * so: the rotation is not extended backwards onto people who have not started it.
 */
export function onCallAt(schedule: OnCallSchedule, at: Date): OnCallAnswer {
  const timeline = new Timeline(schedule);
  const now = timeline.periodAt(at);
  return {
    now,
    next: timeline.firstPeriodFrom(now ? now.until : at),
    escalation: schedule.escalation.map((level, index) => ({
      level: index + 1,
      afterMinutes: level.afterMinutes,
      targets: level.targets.map(target => resolveTarget(target, now)),
    })),
  };
}

class Timeline {
  private readonly clock: RotationClock;
  private readonly firstHandoff: Date;

  constructor(private readonly schedule: OnCallSchedule) {
    this.clock = rotationClock(schedule);
    this.firstHandoff = this.clock.shiftStart(0);
  }

  /** The period under way at `at`, or null before the first hand-off outside any override. */
  periodAt(at: Date): OnCallPeriod | null {
    const override = this.overrides.find(o => o.start <= at && at < o.end);
    if (override) {
      const { user, start, end } = override;
      return { user, from: start, until: end, override: true };
    }
    return at < this.firstHandoff ? null : this.shiftPeriodAt(at);
  }

  /** The period under way at `at`, else (before the first hand-off) the first one to start after it. */
  firstPeriodFrom(at: Date): OnCallPeriod {
    const period = this.periodAt(at);
    if (period) return period;
    const overrideStarts = this.overrides
      .map(o => o.start)
      .filter(start => start > at);
    return this.periodAt(earliest([this.firstHandoff, ...overrideStarts]))!;
  }

  /** The rotation shift holding `at` (not inside an override), cut to the overrides around it. */
  private shiftPeriodAt(at: Date): OnCallPeriod {
    const n = this.clock.shiftAt(at);
    const shiftStart = this.clock.shiftStart(n);
    const shiftEnd = this.clock.shiftStart(n + 1);
    const endedBefore = this.overrides
      .map(o => o.end)
      .filter(end => end > shiftStart && end <= at);
    const startingAfter = this.overrides
      .map(o => o.start)
      .filter(start => start > at && start < shiftEnd);
    const { members } = this.schedule;
    return {
      user: members[n % members.length],
      from: latest([shiftStart, ...endedBefore]),
      until: earliest([shiftEnd, ...startingAfter]),
    };
  }

  private get overrides(): readonly ScheduleOverride[] {
    return this.schedule.overrides;
  }
}

function resolveTarget(
  target: EscalationTarget,
  now: OnCallPeriod | null,
): ResolvedEscalationTarget {
  return target.type === 'on-call'
    ? { type: 'on-call', user: now?.user ?? null }
    : { ...target };
}

function earliest(dates: readonly Date[]): Date {
  return new Date(Math.min(...dates.map(date => date.getTime())));
}

function latest(dates: readonly Date[]): Date {
  return new Date(Math.max(...dates.map(date => date.getTime())));
}
