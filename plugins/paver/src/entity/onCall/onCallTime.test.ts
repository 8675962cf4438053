import { showInstant } from './onCallTime';

// Monday's 09:00 handoff in Berlin, in winter (UTC+1).
const HANDOFF = '2026-12-07T08:00:00.000Z';

describe('showInstant', () => {
  it("shows the schedule's clock, and the viewer's below it when that reads otherwise", () => {
    expect(showInstant(HANDOFF, 'Europe/Berlin', 'Asia/Tokyo')).toEqual({
      primary: 'Mon 2026-12-07 09:00 Europe/Berlin',
      local: 'Mon 2026-12-07 17:00 Asia/Tokyo',
    });
  });

  it('shows one clock when the viewer is in the zone, or in another on the same clock', () => {
    expect(showInstant(HANDOFF, 'Europe/Berlin', 'Europe/Berlin')).toEqual({
      primary: 'Mon 2026-12-07 09:00 Europe/Berlin',
    });
    expect(showInstant(HANDOFF, 'Europe/Lisbon', 'UTC')).toEqual({
      primary: 'Mon 2026-12-07 08:00 Europe/Lisbon',
    });
  });

  it("shows the viewer's clock for a schedule without a zone (PagerDuty's)", () => {
    expect(showInstant(HANDOFF, undefined, 'America/New_York')).toEqual({
      primary: 'Mon 2026-12-07 03:00 America/New_York',
    });
  });
});
