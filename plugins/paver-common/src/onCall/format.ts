import { DateTime } from 'luxon';

/** `Mon 2026-03-09 09:00 Europe/Berlin`: the instant as the zone's clocks show it, zone named. */
export function formatInZone(at: Date, zone: string): string {
  const local = DateTime.fromJSDate(at, { zone });
  return `${local.toFormat('ccc yyyy-MM-dd HH:mm', { locale: 'en' })} ${zone}`;
}

/** ISO-8601 with the zone's offset at that instant: `2026-03-09T09:00:00.000+01:00`. */
export function isoInZone(at: Date, zone: string): string {
  return DateTime.fromJSDate(at, { zone }).toISO()!;
}
