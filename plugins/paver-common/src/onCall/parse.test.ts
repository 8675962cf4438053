import { InvalidScheduleError } from './errors';
import { parseSchedule, validateSchedule } from './parse';

const VALID = {
  timeZone: 'Europe/Berlin',
  rotation: 'P1W',
  handoff: '2026-01-05T09:00',
  members: ['user:default/li.wei', 'user:default/mateo.garcia'],
  overrides: [
    {
      user: 'user:default/sofia.rossi',
      start: '2026-01-13T12:00:00+01:00',
      end: '2026-01-13T18:00:00Z',
    },
  ],
  escalation: [
    { afterMinutes: 0, targets: [{ type: 'on-call' }] },
    {
      afterMinutes: 15,
      targets: [{ type: 'user', ref: 'user:default/sofia.rossi' }],
    },
    {
      afterMinutes: 30,
      targets: [{ type: 'schedule', ref: 'resource:default/platform-primary' }],
    },
  ],
};

/** The problems of VALID with `fields` replaced (undefined removes a field). */
function problemsWith(fields: Record<string, unknown>) {
  const block: Record<string, unknown> = { ...VALID, ...fields };
  for (const [key, value] of Object.entries(fields)) {
    if (value === undefined) delete block[key];
  }
  const result = validateSchedule(block);
  return result.ok ? [] : result.problems;
}

describe('validateSchedule', () => {
  it('accepts a full block and returns it with instants as Dates', () => {
    expect(validateSchedule(VALID)).toEqual({
      ok: true,
      schedule: {
        ...VALID,
        overrides: [
          {
            user: 'user:default/sofia.rossi',
            start: new Date('2026-01-13T11:00:00Z'),
            end: new Date('2026-01-13T18:00:00Z'),
          },
        ],
      },
    });
  });

  it('takes a block without overrides as having none', () => {
    const result = validateSchedule({ ...VALID, overrides: undefined });
    expect(result.ok && result.schedule.overrides).toEqual([]);
  });

  it('rejects what is not a mapping, naming the block', () => {
    expect(validateSchedule(['P1W'])).toEqual({
      ok: false,
      problems: [
        {
          field: 'spec.schedule',
          message:
            'must be a mapping with timeZone, rotation, handoff, members and escalation',
        },
      ],
    });
  });

  it('names fields from the path it is given', () => {
    const result = validateSchedule({ ...VALID, rotation: 'weekly' }, 'block');
    expect(!result.ok && result.problems.map(p => p.field)).toEqual([
      'block.rotation',
    ]);
  });

  it('rejects a field it does not know, such as a misspelt one', () => {
    expect(problemsWith({ rotaton: 'P1W' })).toEqual([
      {
        field: 'spec.schedule.rotaton',
        message:
          'is not a field of a schedule; expected timeZone, rotation, handoff, members, overrides, escalation',
      },
    ]);
  });

  it('lists every problem, not only the first', () => {
    expect(
      problemsWith({ timeZone: undefined, rotation: 7, members: [] }).map(
        p => p.field,
      ),
    ).toEqual([
      'spec.schedule.timeZone',
      'spec.schedule.rotation',
      'spec.schedule.members',
    ]);
  });

  describe('timeZone', () => {
    it.each([
      [undefined, 'is required: an IANA time zone such as Europe/Berlin'],
      [
        'Europe/Berln',
        '"Europe/Berln" is not an IANA time zone; use a name such as Europe/Berlin',
      ],
      [
        '+01:00',
        '"+01:00" is a fixed offset, which ignores daylight saving time; use an IANA name such as Europe/Berlin',
      ],
      [1, 'must be an IANA time zone such as Europe/Berlin, got 1'],
    ])('rejects %j', (timeZone, message) => {
      expect(problemsWith({ timeZone })).toEqual([
        { field: 'spec.schedule.timeZone', message },
      ]);
    });
  });

  describe('rotation', () => {
    it.each(['P1W', 'P1D', 'PT12H', 'P2W', 'P1DT12H'])(
      'accepts %s',
      rotation => {
        expect(problemsWith({ rotation })).toEqual([]);
      },
    );

    it.each([
      [
        'weekly',
        '"weekly" is not an ISO-8601 duration such as P1W (weekly), P1D (daily) or PT12H',
      ],
      [
        'P1M',
        '"P1M" counts months or years, which have no fixed length; use weeks, days or hours (P4W, not P1M)',
      ],
      ['PT30M', '"PT30M" is shorter than one hour (PT1H)'],
      ['P0D', '"P0D" is shorter than one hour (PT1H)'],
      [
        undefined,
        'is required: an ISO-8601 duration such as P1W (weekly), P1D (daily) or PT12H',
      ],
    ])('rejects %j', (rotation, message) => {
      expect(problemsWith({ rotation })).toEqual([
        { field: 'spec.schedule.rotation', message },
      ]);
    });
  });

  describe('handoff', () => {
    it.each([
      ['2026-01-05T09:00Z', 'must be a valid local date and time'],
      ['2026-01-05T09:00:00+01:00', 'must be a valid local date and time'],
      ['2026-01-05 09:00', 'must be a valid local date and time'],
      ['2026-02-30T09:00', 'must be a valid local date and time'],
      [
        '2026-03-29T02:30',
        'does not exist in Europe/Berlin: the clocks skip it when daylight saving time starts',
      ],
      [undefined, 'is required: the first hand-off as a local date and time'],
    ])('rejects %j', (handoff, message) => {
      const problems = problemsWith({ handoff });
      expect(problems).toEqual([
        { field: 'spec.schedule.handoff', message: expect.any(String) },
      ]);
      expect(problems[0].message).toContain(message);
    });

    it('accepts seconds, and a time the clocks show twice', () => {
      expect(problemsWith({ handoff: '2026-01-05T09:00:30' })).toEqual([]);
      expect(problemsWith({ handoff: '2026-10-25T02:30' })).toEqual([]);
    });
  });

  describe('members', () => {
    it.each([[[]], [undefined], ['user:default/li.wei']])(
      'rejects %j: a rotation needs at least one member',
      members => {
        expect(problemsWith({ members })).toEqual([
          {
            field: 'spec.schedule.members',
            message:
              'must list at least one member in rotation order, each a User ref such as user:default/li.wei',
          },
        ]);
      },
    );

    it('names the entry that is not a ref', () => {
      expect(
        problemsWith({ members: ['user:default/li.wei', ' ', 3] }),
      ).toEqual([
        {
          field: 'spec.schedule.members[1]',
          message: 'must be a User ref such as user:default/li.wei',
        },
        {
          field: 'spec.schedule.members[2]',
          message: 'must be a User ref such as user:default/li.wei',
        },
      ]);
    });
  });

  describe('overrides', () => {
    const override = {
      user: 'user:default/sofia.rossi',
      start: '2026-01-13T12:00:00+01:00',
      end: '2026-01-13T18:00:00+01:00',
    };

    it('rejects an end before the start, naming end', () => {
      const backwards = { ...override, end: '2026-01-13T10:00:00+01:00' };
      expect(problemsWith({ overrides: [backwards] })).toEqual([
        {
          field: 'spec.schedule.overrides[0].end',
          message:
            'must be after start (2026-01-13T11:00:00.000Z), got 2026-01-13T09:00:00.000Z',
        },
      ]);
    });

    it('rejects an end equal to the start', () => {
      const empty = { ...override, end: '2026-01-13T11:00:00Z' };
      expect(problemsWith({ overrides: [empty] }).map(p => p.field)).toEqual([
        'spec.schedule.overrides[0].end',
      ]);
    });

    it.each([
      '2026-01-13T12:00:00',
      '2026-01-13',
      'tomorrow',
      '2026-01-13T25:00:00Z',
    ])(
      'rejects the start %j, which is not an instant with an offset',
      start => {
        expect(problemsWith({ overrides: [{ ...override, start }] })).toEqual([
          {
            field: 'spec.schedule.overrides[0].start',
            message: `must be an ISO-8601 instant with an offset, such as 2026-03-02T09:00:00+01:00, got "${start}"`,
          },
        ]);
      },
    );

    it('rejects a missing user and an unknown field', () => {
      expect(
        problemsWith({
          overrides: [{ start: override.start, end: override.end, who: 'x' }],
        }),
      ).toEqual([
        {
          field: 'spec.schedule.overrides[0].who',
          message: 'is not a field of an override; expected user, start, end',
        },
        {
          field: 'spec.schedule.overrides[0].user',
          message: 'is required: a User ref such as user:default/li.wei',
        },
      ]);
    });

    it('rejects overrides that overlap, naming the later one', () => {
      const later = {
        ...override,
        start: '2026-01-13T17:00:00+01:00',
        end: '2026-01-13T20:00:00+01:00',
      };
      expect(problemsWith({ overrides: [later, override] })).toEqual([
        {
          field: 'spec.schedule.overrides[0]',
          message:
            'overlaps overrides[1] (2026-01-13T11:00:00.000Z to 2026-01-13T17:00:00.000Z): one person is on call at a time',
        },
      ]);
    });

    it('accepts overrides that touch end to start', () => {
      const after = {
        ...override,
        start: override.end,
        end: '2026-01-13T20:00:00+01:00',
      };
      expect(problemsWith({ overrides: [override, after] })).toEqual([]);
    });

    it('rejects overrides that are not a list', () => {
      expect(problemsWith({ overrides: override })).toEqual([
        {
          field: 'spec.schedule.overrides',
          message: 'must be a list of { user, start, end }',
        },
      ]);
    });
  });

  describe('escalation', () => {
    const onCall = { afterMinutes: 0, targets: [{ type: 'on-call' }] };

    it.each([[[]], [undefined]])(
      'rejects %j: at least one level',
      escalation => {
        expect(problemsWith({ escalation }).map(p => p.field)).toEqual([
          'spec.schedule.escalation',
        ]);
      },
    );

    it.each([-1, 1.5, '5'])('rejects afterMinutes %j', afterMinutes => {
      expect(
        problemsWith({ escalation: [{ ...onCall, afterMinutes }] }),
      ).toEqual([
        {
          field: 'spec.schedule.escalation[0].afterMinutes',
          message: `must be a whole number of minutes, 0 or more, got ${JSON.stringify(
            afterMinutes,
          )}`,
        },
      ]);
    });

    it('rejects levels that do not come later than the one before', () => {
      const again = { ...onCall, afterMinutes: 0 };
      expect(problemsWith({ escalation: [onCall, again] })).toEqual([
        {
          field: 'spec.schedule.escalation[1].afterMinutes',
          message: "must be more than the previous level's afterMinutes (0)",
        },
      ]);
    });

    it('rejects a level without targets', () => {
      expect(
        problemsWith({ escalation: [{ afterMinutes: 0, targets: [] }] }).map(
          p => p.field,
        ),
      ).toEqual(['spec.schedule.escalation[0].targets']);
    });

    it.each([
      [
        { type: 'pager' },
        'spec.schedule.escalation[0].targets[0].type',
        'must be on-call, user or schedule, got "pager"',
      ],
      [
        { type: 'user' },
        'spec.schedule.escalation[0].targets[0].ref',
        'is required: a User ref such as user:default/li.wei',
      ],
      [
        { type: 'schedule', ref: '' },
        'spec.schedule.escalation[0].targets[0].ref',
        'must be a schedule ref such as resource:default/platform-primary, got ""',
      ],
      [
        { type: 'on-call', ref: 'user:default/li.wei' },
        'spec.schedule.escalation[0].targets[0].ref',
        "is not taken by an on-call target, which pages this schedule's person on call",
      ],
      [
        'on-call',
        'spec.schedule.escalation[0].targets[0]',
        'must be a mapping with a type (on-call, user or schedule)',
      ],
    ])('rejects the target %j', (target, field, message) => {
      expect(
        problemsWith({ escalation: [{ afterMinutes: 0, targets: [target] }] }),
      ).toEqual([{ field, message }]);
    });
  });
});

describe('parseSchedule', () => {
  it('returns the schedule when the block is valid', () => {
    expect(parseSchedule(VALID).members).toEqual(VALID.members);
  });

  it('throws InvalidScheduleError naming the first field and counting the rest', () => {
    const parse = () =>
      parseSchedule({ ...VALID, timeZone: 'Mars/Olympus', members: [] });
    expect(parse).toThrow(InvalidScheduleError);
    expect(parse).toThrow(
      'spec.schedule.timeZone: "Mars/Olympus" is not an IANA time zone; use a name such as Europe/Berlin (and 1 more)',
    );
    expect(parse).toThrow(
      expect.objectContaining({
        problems: [expect.anything(), expect.anything()],
      }),
    );
  });
});
