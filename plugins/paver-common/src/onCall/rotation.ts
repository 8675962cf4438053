import { Duration } from 'luxon';
import type { OnCallSchedule } from './schedule';
import {
  instantAtWallMillis,
  parseLocalDateTime,
  wallMillisAt,
} from './wallClock';

/** A schedule's shifts: shift n starts at `handoff + n × rotation` on the zone's wall clock. */
export interface RotationClock {
  /** When shift n starts; shift 0 starts at the first hand-off. */
  shiftStart(n: number): Date;
  /** The shift under way at `at`: negative before the first hand-off. */
  shiftAt(at: Date): number;
}

/** The shift arithmetic of a validated schedule (see {@link RotationClock}). */
export function rotationClock(
  schedule: Pick<OnCallSchedule, 'timeZone' | 'rotation' | 'handoff'>,
): RotationClock {
  const zone = schedule.timeZone;
  const firstWall = parseLocalDateTime(schedule.handoff)!;
  // Days count as 24 wall-clock hours here, which is what keeps 09:00 at 09:00 across DST.
  const length = Duration.fromISO(schedule.rotation).as('milliseconds');
  const shiftStart = (n: number) =>
    instantAtWallMillis(firstWall + n * length, zone);
  return {
    shiftStart,
    shiftAt(at) {
      let n = Math.floor((wallMillisAt(at, zone) - firstWall) / length);
      // The wall-clock estimate is off by one inside an hour the clocks show twice; the instants decide.
      while (shiftStart(n + 1) <= at) n++;
      while (shiftStart(n) > at) n--;
      return n;
    },
  };
}
