import { formatInZone, isoInZone } from './format';
import { isOnCallScheduleEntity } from './schedule';
import { parseIsoInstant } from './wallClock';

describe('formatInZone and isoInZone', () => {
  // 08:00Z on Monday 9 March 2026 is 09:00 CET in Berlin, 10:00 EET in Helsinki.
  const instant = new Date('2026-03-09T08:00:00Z');

  it('shows the instant as the zone’s clocks show it', () => {
    expect(formatInZone(instant, 'Europe/Berlin')).toBe(
      'Mon 2026-03-09 09:00 Europe/Berlin',
    );
    expect(formatInZone(instant, 'Europe/Helsinki')).toBe(
      'Mon 2026-03-09 10:00 Europe/Helsinki',
    );
    expect(formatInZone(instant, 'UTC')).toBe('Mon 2026-03-09 08:00 UTC');
  });

  it('gives the ISO form with the offset in force then', () => {
    expect(isoInZone(instant, 'Europe/Berlin')).toBe(
      '2026-03-09T09:00:00.000+01:00',
    );
    // After 29 March Berlin is on summer time.
    expect(isoInZone(new Date('2026-04-06T07:00:00Z'), 'Europe/Berlin')).toBe(
      '2026-04-06T09:00:00.000+02:00',
    );
  });
});

describe('parseIsoInstant', () => {
  it.each([
    ['2026-03-09T09:00:00+01:00', '2026-03-09T08:00:00.000Z'],
    ['2026-03-09T08:00Z', '2026-03-09T08:00:00.000Z'],
    ['2026-03-09T08:00:00.250z', '2026-03-09T08:00:00.250Z'],
  ])('reads %s', (text, iso) => {
    expect(parseIsoInstant(text)?.toISOString()).toBe(iso);
  });

  it.each(['2026-03-09T08:00', '2026-03-09', 'now', '2026-13-01T00:00Z'])(
    'refuses %s, which names no instant',
    text => {
      expect(parseIsoInstant(text)).toBeUndefined();
    },
  );
});

describe('isOnCallScheduleEntity', () => {
  it('is true for a Resource of spec.type on-call-schedule, whatever the case of its kind', () => {
    expect(
      isOnCallScheduleEntity({
        kind: 'Resource',
        spec: { type: 'on-call-schedule' },
      }),
    ).toBe(true);
    expect(
      isOnCallScheduleEntity({
        kind: 'resource',
        spec: { type: 'on-call-schedule' },
      }),
    ).toBe(true);
  });

  it('is false for other Resources and other kinds', () => {
    expect(
      isOnCallScheduleEntity({ kind: 'Resource', spec: { type: 'database' } }),
    ).toBe(false);
    expect(
      isOnCallScheduleEntity({
        kind: 'Component',
        spec: { type: 'on-call-schedule' },
      }),
    ).toBe(false);
    expect(isOnCallScheduleEntity({ kind: 'Resource' })).toBe(false);
  });
});
