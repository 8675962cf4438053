import type { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { mockCredentials } from '@backstage/backend-test-utils';
import { startPagerDutyDouble, type PagerDutyDouble } from '@paver/test-utils';
import { OnCallReports } from './onCallReports';
import { PagerDutyOnCall } from './pagerDutyOnCall';

const user = (name: string, displayName: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'User',
  metadata: { name },
  spec: {
    profile: { displayName, email: `${name}@paver.dev` },
    memberOf: ['payments'],
  },
});

const schedule = (annotations: Record<string, string> = {}): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Resource',
  metadata: {
    name: 'payments-primary',
    title: 'Payments primary on-call',
    annotations,
  },
  spec: {
    type: 'on-call-schedule',
    owner: 'group:default/payments',
    schedule: {
      timeZone: 'Europe/Berlin',
      rotation: 'P1W',
      handoff: '2026-03-09T09:00',
      members: ['user:default/li.wei', 'user:default/mateo.garcia'],
      overrides: [],
      escalation: [
        { afterMinutes: 0, targets: [{ type: 'on-call' }] },
        {
          afterMinutes: 15,
          targets: [{ type: 'user', ref: 'user:default/sofia.rossi' }],
        },
        {
          afterMinutes: 30,
          targets: [
            { type: 'schedule', ref: 'resource:default/platform-primary' },
          ],
        },
      ],
    },
  },
});

const organisation = (scheduleEntity: Entity): Entity[] => [
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: {
      name: 'payments',
      annotations: { 'paver.dev/oncall': 'payments-primary' },
    },
    spec: { type: 'team', children: [] },
  },
  user('li.wei', 'Li Wei'),
  user('mateo.garcia', 'Mateo García'),
  user('sofia.rossi', 'Sofia Rossi'),
  scheduleEntity,
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'invoicing-api' },
    spec: {
      type: 'service',
      lifecycle: 'production',
      owner: 'group:default/payments',
    },
  },
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'orphan' },
    spec: {
      type: 'service',
      lifecycle: 'production',
      owner: 'group:default/nobody',
    },
  },
];

const credentials = mockCredentials.user();
// Tuesday 10 March 2026, 12:00 in Berlin (CET, UTC+1): the first weekly shift, Li Wei's.
const TUESDAY = new Date('2026-03-10T11:00:00Z');

describe('OnCallReports', () => {
  it("computes from the owner Group's schedule in the catalog: people by name, shifts, escalation", async () => {
    const reports = new OnCallReports({
      catalog: catalogServiceMock({ entities: organisation(schedule()) }),
    });
    const report = await reports.report(
      'component:default/invoicing-api',
      TUESDAY,
      credentials,
    );
    expect(report).toEqual({
      entityRef: 'component:default/invoicing-api',
      at: '2026-03-10T11:00:00.000Z',
      schedule: {
        name: 'payments-primary',
        title: 'Payments primary on-call',
        definedOn: 'group:default/payments',
        source: 'catalog',
        timeZone: 'Europe/Berlin',
      },
      // 09:00 Berlin on Monday 9 March is 08:00 UTC; a week later, the next hand-off.
      now: {
        person: {
          name: 'Li Wei',
          email: 'li.wei@paver.dev',
          entityRef: 'user:default/li.wei',
        },
        from: '2026-03-09T08:00:00.000Z',
        until: '2026-03-16T08:00:00.000Z',
      },
      next: {
        person: {
          name: 'Mateo García',
          email: 'mateo.garcia@paver.dev',
          entityRef: 'user:default/mateo.garcia',
        },
        from: '2026-03-16T08:00:00.000Z',
        until: '2026-03-23T08:00:00.000Z',
      },
      escalation: [
        {
          level: 1,
          afterMinutes: 0,
          people: [expect.objectContaining({ name: 'Li Wei' })],
          schedules: [],
        },
        {
          level: 2,
          afterMinutes: 15,
          people: [expect.objectContaining({ name: 'Sofia Rossi' })],
          schedules: [],
        },
        {
          level: 3,
          afterMinutes: 30,
          people: [],
          schedules: ['platform-primary'],
        },
      ],
    });
  });

  it('names what is missing: the entity, a schedule for it, the schedule named', async () => {
    const reports = new OnCallReports({
      catalog: catalogServiceMock({
        entities: organisation(schedule()).filter(e => e.kind !== 'Resource'),
      }),
    });
    await expect(
      reports.report('component:default/nope', TUESDAY, credentials),
    ).rejects.toThrow('no entity component:default/nope in the catalog');
    await expect(
      reports.report('component:default/orphan', TUESDAY, credentials),
    ).rejects.toThrow(
      'component:default/orphan has no on-call schedule: set paver.dev/oncall on it or on its owner Group',
    );
    await expect(
      reports.report('component:default/invoicing-api', TUESDAY, credentials),
    ).rejects.toThrow(
      'group:default/payments names the on-call schedule "payments-primary", and there is no resource:default/payments-primary in the catalog',
    );
  });

  describe('with PagerDuty configured', () => {
    let pd: PagerDutyDouble;
    beforeAll(async () => {
      pd = await startPagerDutyDouble({
        subdomain: 'acme',
        users: [
          { id: 'PSOFIA1', name: 'Sofia R.', email: 'sofia.rossi@paver.dev' },
          {
            id: 'PEXTERN',
            name: 'Contractor',
            email: 'oncall@contractor.example',
          },
        ],
        schedules: [
          {
            id: 'PSCHED1',
            name: 'Payments primary',
            shifts: [
              {
                user: 'PSOFIA1',
                start: new Date('2026-03-09T08:00:00Z'),
                end: new Date('2026-03-16T08:00:00Z'),
              },
              {
                user: 'PEXTERN',
                start: new Date('2026-03-16T08:00:00Z'),
                end: new Date('2026-03-23T08:00:00Z'),
              },
            ],
          },
        ],
        escalationPolicies: [
          {
            id: 'PPOLICY',
            name: 'Payments',
            rules: [
              {
                delayMinutes: 10,
                targets: [{ type: 'schedule', id: 'PSCHED1' }],
              },
            ],
          },
        ],
      });
    });
    afterAll(() => pd.close());

    it('asks PagerDuty for a schedule that names one, and shows catalog Users for its people', async () => {
      const reports = new OnCallReports({
        catalog: catalogServiceMock({
          entities: organisation(
            schedule({
              'pagerduty.com/schedule-id': 'PSCHED1',
              'pagerduty.com/escalation-policy-id': 'PPOLICY',
            }),
          ),
        }),
        pagerDuty: new PagerDutyOnCall({ token: pd.token, baseUrl: pd.url }),
      });
      const report = await reports.report(
        'component:default/invoicing-api',
        TUESDAY,
        credentials,
      );
      expect(report.schedule).toMatchObject({
        source: 'pagerduty',
        url: 'https://acme.pagerduty.com/schedules/PSCHED1',
      });
      // Sofia is a catalog User (matched by e-mail); the contractor is not, and keeps PagerDuty's name.
      expect(report.now?.person).toEqual({
        name: 'Sofia Rossi',
        email: 'sofia.rossi@paver.dev',
        entityRef: 'user:default/sofia.rossi',
        url: 'https://acme.pagerduty.com/users/PSOFIA1',
      });
      expect(report.next?.person).toEqual({
        name: 'Contractor',
        email: 'oncall@contractor.example',
        url: 'https://acme.pagerduty.com/users/PEXTERN',
      });
      expect(report.escalation).toEqual([
        {
          level: 1,
          afterMinutes: 0,
          people: [
            expect.objectContaining({ entityRef: 'user:default/sofia.rossi' }),
          ],
          schedules: ['Payments primary'],
        },
      ]);
    });
  });
});
