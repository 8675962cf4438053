import type { Entity } from '@backstage/catalog-model';
import {
  component,
  group,
  onCallSchedule,
  user,
} from '../__testUtils__/tempCatalog';
import { InvalidEntityRefError } from '../errors';
import {
  lookupViolations,
  scheduleCheck,
  scheduleRef,
  scheduleViolations,
} from './schedules';

const ANNOTATION_FIELD = 'metadata.annotations["paver.dev/oncall"]';

const payments = (schedule: Record<string, unknown> = {}) =>
  onCallSchedule(
    'payments-primary',
    'group:default/payments',
    ['user:default/li.wei', 'mateo.garcia'],
    schedule,
  ) as Entity;

const withAnnotation = (
  entity: object,
  value: string,
  namespace?: string,
): Entity => {
  const base = entity as Entity;
  return {
    ...base,
    metadata: {
      ...base.metadata,
      ...(namespace && { namespace }),
      annotations: { 'paver.dev/oncall': value },
    },
  };
};

describe('scheduleRef', () => {
  it.each([
    ['li.wei', 'user', undefined, 'user:default/li.wei'],
    ['li.wei', 'user', 'finance', 'user:finance/li.wei'],
    ['User:Default/Li.Wei', 'user', undefined, 'user:default/li.wei'],
    [
      'payments-primary',
      'schedule',
      undefined,
      'resource:default/payments-primary',
    ],
    ['resource:ops/pager', 'schedule', 'finance', 'resource:ops/pager'],
  ] as const)(
    'completes %s (%s, namespace %s) as %s',
    (ref, kind, ns, full) => {
      expect(scheduleRef(ref, kind, ns)).toBe(full);
    },
  );

  it('refuses a ref of another kind, naming both', () => {
    expect(() => scheduleRef('group:payments', 'user')).toThrow(
      new InvalidEntityRefError(
        'must refer to a User, not a group ("group:payments")',
      ),
    );
  });

  it('refuses a malformed ref', () => {
    expect(() => scheduleRef('user:', 'user')).toThrow(InvalidEntityRefError);
  });
});

describe('scheduleCheck on a schedule Resource', () => {
  it('asks for every member, override user and escalation target, by field', () => {
    const schedule = payments({
      overrides: [
        {
          user: 'sofia.rossi',
          start: '2026-01-13T12:00:00+01:00',
          end: '2026-01-13T18:00:00+01:00',
        },
      ],
      escalation: [
        { afterMinutes: 0, targets: [{ type: 'on-call' }] },
        {
          afterMinutes: 15,
          targets: [
            { type: 'user', ref: 'user:default/sofia.rossi' },
            { type: 'schedule', ref: 'platform-primary' },
          ],
        },
      ],
    });
    expect(scheduleCheck(schedule)).toEqual({
      violations: [],
      lookups: [
        {
          field: 'spec.schedule.members[0]',
          ref: 'user:default/li.wei',
          expected: 'user',
        },
        {
          field: 'spec.schedule.members[1]',
          ref: 'user:default/mateo.garcia',
          expected: 'user',
        },
        {
          field: 'spec.schedule.overrides[0].user',
          ref: 'user:default/sofia.rossi',
          expected: 'user',
        },
        {
          field: 'spec.schedule.escalation[1].targets[0].ref',
          ref: 'user:default/sofia.rossi',
          expected: 'user',
        },
        {
          field: 'spec.schedule.escalation[1].targets[1].ref',
          ref: 'resource:default/platform-primary',
          expected: 'schedule',
        },
      ],
    });
  });

  it('reports the block’s own problems, field by field, and asks for nothing', () => {
    const broken = payments({
      timeZone: 'Europe/Berln',
      rotation: 'P1M',
      members: [],
    });
    const check = scheduleCheck(broken);
    expect(check.violations.map(v => v.field)).toEqual([
      'spec.schedule.timeZone',
      'spec.schedule.rotation',
      'spec.schedule.members',
    ]);
    expect(check.lookups).toEqual([]);
  });

  it('reports a schedule Resource without a block at spec.schedule', () => {
    const bare = payments();
    delete (bare.spec as Record<string, unknown>).schedule;
    expect(scheduleCheck(bare).violations).toEqual([
      {
        field: 'spec.schedule',
        message:
          'must be a mapping with timeZone, rotation, handoff, members and escalation',
      },
    ]);
  });

  it('reports a member that is not a User ref, and asks for the others', () => {
    const check = scheduleCheck(
      payments({ members: ['li.wei', 'group:default/payments'] }),
    );
    expect(check.violations).toEqual([
      {
        field: 'spec.schedule.members[1]',
        message: 'must refer to a User, not a group ("group:default/payments")',
      },
    ]);
    expect(check.lookups.map(l => l.ref)).toEqual(['user:default/li.wei']);
  });

  it('reports an escalation to the schedule itself', () => {
    const loop = payments({
      escalation: [
        {
          afterMinutes: 0,
          targets: [{ type: 'schedule', ref: 'payments-primary' }],
        },
      ],
    });
    expect(scheduleCheck(loop).violations).toEqual([
      {
        field: 'spec.schedule.escalation[0].targets[0].ref',
        message:
          'names this schedule itself; use { type: on-call } to page its person on call',
      },
    ]);
  });

  it('leaves Resources of another type alone', () => {
    const database = {
      ...payments(),
      spec: { type: 'database', owner: 'payments' },
    };
    expect(scheduleCheck(database)).toEqual({ violations: [], lookups: [] });
  });
});

describe('scheduleCheck on a paver.dev/oncall annotation', () => {
  it('asks for the schedule a Component names, in its namespace', () => {
    const service = withAnnotation(
      component('invoices', 'payments'),
      'payments-primary',
    );
    expect(scheduleCheck(service)).toEqual({
      violations: [],
      lookups: [
        {
          field: ANNOTATION_FIELD,
          ref: 'resource:default/payments-primary',
          expected: 'schedule',
        },
      ],
    });
    const team = withAnnotation(
      group('payments'),
      'payments-primary',
      'finance',
    );
    expect(scheduleCheck(team).lookups.map(l => l.ref)).toEqual([
      'resource:finance/payments-primary',
    ]);
  });

  it('reports an annotation that names something other than a Resource', () => {
    const team = withAnnotation(group('payments'), 'user:ada');
    expect(scheduleCheck(team)).toEqual({
      violations: [
        {
          field: ANNOTATION_FIELD,
          message: 'must refer to a Resource, not a user ("user:ada")',
        },
      ],
      lookups: [],
    });
  });

  it('asks nothing of an entity without the annotation', () => {
    expect(scheduleCheck(group('payments') as Entity)).toEqual({
      violations: [],
      lookups: [],
    });
  });
});

describe('lookupViolations', () => {
  const catalog = new Map<string, Entity>([
    ['user:default/li.wei', user('li.wei') as Entity],
    ['resource:default/payments-primary', payments()],
    [
      'resource:default/orders-db',
      {
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Resource',
        metadata: { name: 'orders-db' },
        spec: { type: 'database', owner: 'payments' },
      },
    ],
  ]);
  const found = (ref: string) => catalog.get(ref);

  it('accepts Users and schedules the catalog holds', () => {
    expect(
      lookupViolations(
        [
          { field: 'a', ref: 'user:default/li.wei', expected: 'user' },
          {
            field: 'b',
            ref: 'resource:default/payments-primary',
            expected: 'schedule',
          },
        ],
        found,
      ),
    ).toEqual([]);
  });

  it('reports a User the catalog does not hold', () => {
    expect(
      lookupViolations(
        [{ field: 'm', ref: 'user:default/ghost', expected: 'user' }],
        found,
      ),
    ).toEqual([
      {
        field: 'm',
        message: 'user:default/ghost does not exist in the catalog',
      },
    ]);
  });

  it('reports a schedule the catalog does not hold, saying how to declare one', () => {
    expect(
      lookupViolations(
        [{ field: 'a', ref: 'resource:default/ghosts', expected: 'schedule' }],
        found,
      ),
    ).toEqual([
      {
        field: 'a',
        message:
          'resource:default/ghosts does not exist in the catalog: declare it as a Resource of spec.type on-call-schedule',
      },
    ]);
  });

  it('reports a Resource that is not an on-call schedule', () => {
    expect(
      lookupViolations(
        [
          {
            field: 'a',
            ref: 'resource:default/orders-db',
            expected: 'schedule',
          },
        ],
        found,
      ),
    ).toEqual([
      {
        field: 'a',
        message:
          'resource:default/orders-db is not an on-call schedule: its spec.type is "database", not on-call-schedule',
      },
    ]);
  });
});

describe('scheduleViolations', () => {
  it('reports what is wrong alone, then what the catalog lacks', () => {
    const schedule = payments({ members: ['group:payments', 'ghost'] });
    expect(scheduleViolations(schedule, () => undefined)).toEqual([
      {
        field: 'spec.schedule.members[0]',
        message: 'must refer to a User, not a group ("group:payments")',
      },
      {
        field: 'spec.schedule.members[1]',
        message: 'user:default/ghost does not exist in the catalog',
      },
    ]);
  });
});
