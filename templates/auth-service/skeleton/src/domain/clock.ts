/** Where the domain reads the time; tests pass a clock they move by hand. */
export type Clock = () => Date;

export const systemClock: Clock = () => new Date();

/** Whole seconds since the epoch, as JWT claims count time. */
export const epochSeconds = (clock: Clock) => Math.floor(clock().getTime() / 1000);

/** Seconds from `now` until `at`, rounded up and at least 1: a Retry-After value. */
export function secondsUntil(at: Date, now: Date): number {
  return Math.max(1, Math.ceil((at.getTime() - now.getTime()) / 1000));
}
