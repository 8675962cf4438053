import { onCallAt, type OnCallPeriod } from './onCallAt';
import { parseSchedule } from './parse';

// Expected instants are worked out by hand in the comments beside them: Berlin is UTC+1 (CET) in
// winter and UTC+2 (CEST) in summer, Helsinki one hour ahead of Berlin. In 2026 the clocks change
// on the last Sundays of March (29th, 02:00 → 03:00) and October (25th, 03:00 → 02:00).

const ALICE = 'user:default/alice';
const BOB = 'user:default/bob';
const CAROL = 'user:default/carol';
const DAVE = 'user:default/dave';

/** A weekly Berlin rotation of alice, bob, carol from Monday 5 January 2026, 09:00; fields overridable. */
function weekly(fields: Record<string, unknown> = {}) {
  return parseSchedule({
    timeZone: 'Europe/Berlin',
    rotation: 'P1W',
    handoff: '2026-01-05T09:00',
    members: [ALICE, BOB, CAROL],
    escalation: [{ afterMinutes: 0, targets: [{ type: 'on-call' }] }],
    ...fields,
  });
}

const at = (iso: string) => new Date(iso);

/** A period as the tests write it: user and ISO instants. */
function period(
  user: string,
  from: string,
  until: string,
  override?: boolean,
): OnCallPeriod {
  return {
    user,
    from: at(from),
    until: at(until),
    ...(override && { override }),
  };
}

describe('onCallAt: the rotation', () => {
  const schedule = weekly();

  it('hands off exactly at the boundary, not a millisecond earlier', () => {
    // Shift 1 (bob) starts Monday 12 January 09:00 CET = 08:00Z.
    const before = onCallAt(schedule, at('2026-01-12T07:59:59.999Z'));
    expect(before.now).toEqual(
      period(ALICE, '2026-01-05T08:00:00Z', '2026-01-12T08:00:00Z'),
    );
    expect(before.next).toEqual(
      period(BOB, '2026-01-12T08:00:00Z', '2026-01-19T08:00:00Z'),
    );
    const exactly = onCallAt(schedule, at('2026-01-12T08:00:00.000Z'));
    expect(exactly.now).toEqual(
      period(BOB, '2026-01-12T08:00:00Z', '2026-01-19T08:00:00Z'),
    );
    expect(exactly.next).toEqual(
      period(CAROL, '2026-01-19T08:00:00Z', '2026-01-26T08:00:00Z'),
    );
    expect(onCallAt(schedule, at('2026-01-12T08:00:00.001Z')).now?.user).toBe(
      BOB,
    );
  });

  it('starts again with the first member after the last', () => {
    // Shift 3 = 3 mod 3 = alice, Monday 26 January.
    expect(onCallAt(schedule, at('2026-01-26T08:00:00Z')).now).toEqual(
      period(ALICE, '2026-01-26T08:00:00Z', '2026-02-02T08:00:00Z'),
    );
  });

  it('keeps the 09:00 hand-off at 09:00 local when the clocks go forward in March', () => {
    // Monday 23 March is 77 days = 11 weeks after 5 January: shift 11, 11 mod 3 = carol, from
    // 09:00 CET (08:00Z). Her week ends Monday 30 March 09:00 CEST = 07:00Z, 167 hours later.
    const lastHour = onCallAt(schedule, at('2026-03-30T06:59:59.999Z'));
    expect(lastHour.now).toEqual(
      period(CAROL, '2026-03-23T08:00:00Z', '2026-03-30T07:00:00Z'),
    );
    expect(lastHour.next).toEqual(
      period(ALICE, '2026-03-30T07:00:00Z', '2026-04-06T07:00:00Z'),
    );
    expect(onCallAt(schedule, at('2026-03-30T07:00:00Z')).now?.user).toBe(
      ALICE,
    );
  });

  it('keeps the 09:00 hand-off at 09:00 local when the clocks go back in October', () => {
    // Monday 26 October is day 299, 294 days = 42 weeks after 5 January: shift 42 = alice, from
    // 09:00 CET = 08:00Z. Shift 41 (carol) began Monday 19 October 09:00 CEST = 07:00Z.
    const at0830Local = onCallAt(schedule, at('2026-10-26T07:30:00Z'));
    expect(at0830Local.now).toEqual(
      period(CAROL, '2026-10-19T07:00:00Z', '2026-10-26T08:00:00Z'),
    );
    expect(at0830Local.next).toEqual(
      period(ALICE, '2026-10-26T08:00:00Z', '2026-11-02T08:00:00Z'),
    );
  });

  it('counts a daily rotation on the wall clock: the day the clocks go forward lasts 23 hours', () => {
    const daily = weekly({ rotation: 'P1D', handoff: '2026-03-27T09:00' });
    // Friday alice (08:00Z), Saturday bob (08:00Z), Sunday carol from 09:00 CEST = 07:00Z.
    expect(onCallAt(daily, at('2026-03-29T06:30:00Z')).now).toEqual(
      period(BOB, '2026-03-28T08:00:00Z', '2026-03-29T07:00:00Z'),
    );
    expect(onCallAt(daily, at('2026-03-29T07:30:00Z')).now).toEqual(
      period(CAROL, '2026-03-29T07:00:00Z', '2026-03-30T07:00:00Z'),
    );
  });

  it('keeps 12-hour shifts at 09:00 and 21:00 local across the change', () => {
    const halfDays = weekly({
      rotation: 'PT12H',
      handoff: '2026-03-28T09:00',
      members: [ALICE, BOB],
    });
    // Saturday 21:00 CET = 20:00Z (bob) until Sunday 09:00 CEST = 07:00Z: an 11-hour night.
    expect(onCallAt(halfDays, at('2026-03-29T01:00:00Z')).now).toEqual(
      period(BOB, '2026-03-28T20:00:00Z', '2026-03-29T07:00:00Z'),
    );
    // Sunday 09:00 CEST = 07:00Z (alice) until 21:00 CEST = 19:00Z.
    expect(onCallAt(halfDays, at('2026-03-29T08:00:00Z')).now).toEqual(
      period(ALICE, '2026-03-29T07:00:00Z', '2026-03-29T19:00:00Z'),
    );
  });

  it('starts a hand-off the clocks skip when they resume: 02:30 on 29 March is 03:30 CEST', () => {
    const nightly = weekly({ rotation: 'P1D', handoff: '2026-03-28T02:30' });
    // Saturday 02:30 CET = 01:30Z (alice); Sunday's 02:30 does not exist, 03:30 CEST = 01:30Z (bob);
    // Monday 02:30 CEST = 00:30Z (carol).
    expect(onCallAt(nightly, at('2026-03-29T01:29:59.999Z')).now).toEqual(
      period(ALICE, '2026-03-28T01:30:00Z', '2026-03-29T01:30:00Z'),
    );
    expect(onCallAt(nightly, at('2026-03-29T01:30:00Z')).now).toEqual(
      period(BOB, '2026-03-29T01:30:00Z', '2026-03-30T00:30:00Z'),
    );
  });

  it('hands off at the second 02:30 when the clocks show it twice, and not in the first', () => {
    const nightly = weekly({ rotation: 'P1D', handoff: '2026-10-24T02:30' });
    // Saturday 02:30 CEST = 00:30Z (alice). Sunday 02:30 comes as CEST (00:30Z) and again as CET
    // (01:30Z); the hand-off is the second. At 00:45Z the clocks show 02:45 CEST: still alice.
    expect(onCallAt(nightly, at('2026-10-25T00:45:00Z')).now).toEqual(
      period(ALICE, '2026-10-24T00:30:00Z', '2026-10-25T01:30:00Z'),
    );
    expect(onCallAt(nightly, at('2026-10-25T01:30:00Z')).now?.user).toBe(BOB);
  });
});

describe('onCallAt: time zones', () => {
  it('answers for the zone the schedule counts in: 07:30Z is 08:30 in Berlin but 09:30 in Helsinki', () => {
    const instant = at('2026-01-12T07:30:00Z');
    // Berlin's 09:00 hand-off is at 08:00Z, still to come: alice.
    expect(onCallAt(weekly(), instant).now).toEqual(
      period(ALICE, '2026-01-05T08:00:00Z', '2026-01-12T08:00:00Z'),
    );
    // Helsinki (EET, UTC+2) handed off at 09:00 = 07:00Z: bob.
    const helsinki = weekly({ timeZone: 'Europe/Helsinki' });
    expect(onCallAt(helsinki, instant).now).toEqual(
      period(BOB, '2026-01-12T07:00:00Z', '2026-01-19T07:00:00Z'),
    );
  });
});

describe('onCallAt: overrides', () => {
  it('cuts a shift around an override inside it', () => {
    // Bob's shift runs 12 January 08:00Z to 19 January 08:00Z; dave covers Tuesday 12:00 to 18:00 CET.
    const schedule = weekly({
      overrides: [
        {
          user: DAVE,
          start: '2026-01-13T12:00:00+01:00',
          end: '2026-01-13T18:00:00+01:00',
        },
      ],
    });
    const before = onCallAt(schedule, at('2026-01-13T10:59:59.999Z'));
    expect(before.now).toEqual(
      period(BOB, '2026-01-12T08:00:00Z', '2026-01-13T11:00:00Z'),
    );
    expect(before.next).toEqual(
      period(DAVE, '2026-01-13T11:00:00Z', '2026-01-13T17:00:00Z', true),
    );
    const during = onCallAt(schedule, at('2026-01-13T11:00:00Z'));
    expect(during.now).toEqual(
      period(DAVE, '2026-01-13T11:00:00Z', '2026-01-13T17:00:00Z', true),
    );
    expect(during.next).toEqual(
      period(BOB, '2026-01-13T17:00:00Z', '2026-01-19T08:00:00Z'),
    );
    const after = onCallAt(schedule, at('2026-01-13T17:00:00Z'));
    expect(after.now).toEqual(
      period(BOB, '2026-01-13T17:00:00Z', '2026-01-19T08:00:00Z'),
    );
    expect(after.next).toEqual(
      period(CAROL, '2026-01-19T08:00:00Z', '2026-01-26T08:00:00Z'),
    );
  });

  it('holds an override that spans a hand-off as one period', () => {
    // Dave covers Sunday 18 January 20:00 CET to Tuesday 09:00 CET, over Monday's bob → carol hand-off.
    const schedule = weekly({
      overrides: [
        {
          user: DAVE,
          start: '2026-01-18T20:00:00+01:00',
          end: '2026-01-20T09:00:00+01:00',
        },
      ],
    });
    expect(onCallAt(schedule, at('2026-01-18T18:59:59.999Z'))).toMatchObject({
      now: period(BOB, '2026-01-12T08:00:00Z', '2026-01-18T19:00:00Z'),
      next: period(DAVE, '2026-01-18T19:00:00Z', '2026-01-20T08:00:00Z', true),
    });
    expect(onCallAt(schedule, at('2026-01-19T08:00:00Z'))).toMatchObject({
      now: period(DAVE, '2026-01-18T19:00:00Z', '2026-01-20T08:00:00Z', true),
      // Carol's shift began under the override; she takes the rest of it.
      next: period(CAROL, '2026-01-20T08:00:00Z', '2026-01-26T08:00:00Z'),
    });
  });
});

describe('onCallAt: before the first hand-off', () => {
  it('has nobody on call and names the first shift as next', () => {
    const answer = onCallAt(weekly(), at('2026-01-01T00:00:00Z'));
    expect(answer.now).toBeNull();
    // Monday 5 January 09:00 CET = 08:00Z.
    expect(answer.next).toEqual(
      period(ALICE, '2026-01-05T08:00:00Z', '2026-01-12T08:00:00Z'),
    );
    expect(answer.escalation[0].targets).toEqual([
      { type: 'on-call', user: null },
    ]);
    expect(onCallAt(weekly(), at('2026-01-05T07:59:59.999Z')).now).toBeNull();
    expect(onCallAt(weekly(), at('2026-01-05T08:00:00Z')).now?.user).toBe(
      ALICE,
    );
  });

  it('puts an override before it on call, then skips the gap to the first shift', () => {
    const schedule = weekly({
      overrides: [
        {
          user: DAVE,
          start: '2026-01-02T09:00:00+01:00',
          end: '2026-01-03T09:00:00+01:00',
        },
      ],
    });
    const dave = period(
      DAVE,
      '2026-01-02T08:00:00Z',
      '2026-01-03T08:00:00Z',
      true,
    );
    const first = period(ALICE, '2026-01-05T08:00:00Z', '2026-01-12T08:00:00Z');
    expect(onCallAt(schedule, at('2026-01-01T00:00:00Z'))).toMatchObject({
      now: null,
      next: dave,
    });
    expect(onCallAt(schedule, at('2026-01-02T12:00:00Z'))).toMatchObject({
      now: dave,
      next: first,
    });
  });
});

describe('onCallAt: escalation', () => {
  it('lists the levels in order, with the person on call filled in', () => {
    const schedule = weekly({
      escalation: [
        { afterMinutes: 0, targets: [{ type: 'on-call' }] },
        {
          afterMinutes: 15,
          targets: [{ type: 'user', ref: 'user:default/lead' }],
        },
        {
          afterMinutes: 30,
          targets: [
            { type: 'schedule', ref: 'resource:default/platform-primary' },
            { type: 'on-call' },
          ],
        },
      ],
    });
    expect(onCallAt(schedule, at('2026-01-12T08:00:00Z')).escalation).toEqual([
      { level: 1, afterMinutes: 0, targets: [{ type: 'on-call', user: BOB }] },
      {
        level: 2,
        afterMinutes: 15,
        targets: [{ type: 'user', ref: 'user:default/lead' }],
      },
      {
        level: 3,
        afterMinutes: 30,
        targets: [
          { type: 'schedule', ref: 'resource:default/platform-primary' },
          { type: 'on-call', user: BOB },
        ],
      },
    ]);
  });
});
