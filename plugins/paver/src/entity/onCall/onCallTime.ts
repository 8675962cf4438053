import { formatInZone } from '@paver/plugin-paver-common';

/** A shift boundary as the card shows it: on the schedule's clock and, when it differs, the viewer's. */
export interface ShownInstant {
  /** `Mon 2026-03-09 09:00 Europe/Berlin`: the schedule's zone (the viewer's without one). */
  primary: string;
  /** The same instant on the viewer's clock, when that is another zone. */
  local?: string;
}

/**
 * Formats a shift boundary for someone paged at night: the schedule's wall clock, which the handoff
 * is defined in, and their own, so "until 09:00" needs no arithmetic. PagerDuty reports carry no
 * schedule zone; those are shown on the viewer's clock only.
 */
export function showInstant(
  iso: string,
  scheduleZone: string | undefined,
  viewerZone: string,
): ShownInstant {
  const at = new Date(iso);
  const primary = formatInZone(at, scheduleZone ?? viewerZone);
  if (!scheduleZone || scheduleZone === viewerZone) return { primary };
  const local = formatInZone(at, viewerZone);
  // Another zone on the same clock (Europe/Lisbon and UTC in winter): once is enough.
  if (withoutZone(local, viewerZone) === withoutZone(primary, scheduleZone)) {
    return { primary };
  }
  return { primary, local };
}

function withoutZone(formatted: string, zone: string): string {
  return formatted.slice(0, formatted.length - zone.length);
}

/** The browser's zone (`Europe/London`), where the viewer's "your time" is. */
export function viewerTimeZone(): string {
  return new Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}
