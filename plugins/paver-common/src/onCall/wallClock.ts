import { DateTime } from 'luxon';

// Rotations count on the schedule zone's wall clock: a 09:00 hand-off stays 09:00 when daylight
// saving time starts or ends. Wall-clock readings are held as milliseconds of a zone without DST
// (UTC), where adding a shift length is plain addition; luxon maps them to and from the real zone.

const WALL_ZONE = 'utc';
const LOCAL_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2})?$/;
const ISO_INSTANT =
  /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?(?:Z|[+-]\d{2}:\d{2})$/i;
const READING = "yyyy-MM-dd'T'HH:mm:ss";

/** What the zone's clocks show at `at`, as wall-clock milliseconds. */
export function wallMillisAt(at: Date, zone: string): number {
  return DateTime.fromJSDate(at, { zone })
    .setZone(WALL_ZONE, { keepLocalTime: true })
    .toMillis();
}

/**
 * The instant the zone's clocks show `wallMillis`. A reading the clocks skip (spring forward)
 * becomes the one an hour later; a reading they show twice (fall back), the later of the two.
 */
export function instantAtWallMillis(wallMillis: number, zone: string): Date {
  return DateTime.fromMillis(wallMillis, { zone: WALL_ZONE })
    .setZone(zone, { keepLocalTime: true })
    .toJSDate();
}

/** `2026-01-05T09:00` as wall-clock milliseconds, or undefined when it is not a local date-time. */
export function parseLocalDateTime(text: string): number | undefined {
  if (!LOCAL_DATE_TIME.test(text)) return undefined;
  const wall = DateTime.fromISO(text, { zone: WALL_ZONE });
  return wall.isValid ? wall.toMillis() : undefined;
}

/** False for a local date-time the zone's clocks skip when daylight saving time starts. */
export function localDateTimeExists(wallMillis: number, zone: string): boolean {
  const reading = DateTime.fromMillis(wallMillis, { zone: WALL_ZONE });
  const shown = DateTime.fromJSDate(instantAtWallMillis(wallMillis, zone), {
    zone,
  });
  return shown.toFormat(READING) === reading.toFormat(READING);
}

/** An ISO-8601 instant that names its offset (`2026-03-02T09:00:00+01:00`, `…Z`), or undefined. */
export function parseIsoInstant(text: string): Date | undefined {
  if (!ISO_INSTANT.test(text)) return undefined;
  const parsed = DateTime.fromISO(text, { setZone: true });
  return parsed.isValid ? parsed.toJSDate() : undefined;
}
