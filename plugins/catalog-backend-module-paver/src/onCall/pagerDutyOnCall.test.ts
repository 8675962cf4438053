import {
  startPagerDutyDouble,
  type PagerDutyAccount,
  type PagerDutyDouble,
} from '@paver/test-utils';
import { PagerDutyError, PagerDutyOnCall } from './pagerDutyOnCall';

const hour = 3600 * 1000;
// Weekly shifts handed off on Mondays at 08:00 UTC: Amara, then Jonas, then Amara again.
const HANDOFF = Date.parse('2026-03-09T08:00:00Z');
const shift = (user: string, week: number) => ({
  user,
  start: new Date(HANDOFF + week * 168 * hour),
  end: new Date(HANDOFF + (week + 1) * 168 * hour),
});

const account: PagerDutyAccount = {
  subdomain: 'acme',
  users: [
    { id: 'PAMARA1', name: 'Amara Okafor', email: 'amara.okafor@paver.dev' },
    { id: 'PJONAS1', name: 'Jonas Weber', email: 'jonas.weber@paver.dev' },
    { id: 'PLEAD01', name: 'Priya Raman', email: 'priya.raman@paver.dev' },
  ],
  schedules: [
    {
      id: 'PSCHED1',
      name: 'Payments primary',
      shifts: [shift('PAMARA1', -1), shift('PJONAS1', 0), shift('PAMARA1', 1)],
    },
  ],
  escalationPolicies: [
    {
      id: 'PPOLICY',
      name: 'Payments',
      rules: [
        { delayMinutes: 15, targets: [{ type: 'schedule', id: 'PSCHED1' }] },
        { delayMinutes: 30, targets: [{ type: 'user', id: 'PLEAD01' }] },
      ],
    },
  ],
};

let pd: PagerDutyDouble;
beforeAll(async () => {
  pd = await startPagerDutyDouble(account);
});
afterAll(() => pd.close());

const client = (token = pd.token) =>
  new PagerDutyOnCall({ token, baseUrl: pd.url, retryAfterMs: 50 });
const schedule = { scheduleId: 'PSCHED1', escalationPolicyId: 'PPOLICY' };

describe('PagerDutyOnCall against the PagerDuty double', () => {
  it('names who is on call now and next across a hand-off, with the escalation levels and their delays', async () => {
    const answer = await client().at(schedule, new Date(HANDOFF + 2 * hour));
    expect(answer.now).toEqual({
      person: {
        name: 'Jonas Weber',
        email: 'jonas.weber@paver.dev',
        url: 'https://acme.pagerduty.com/users/PJONAS1',
      },
      from: '2026-03-09T08:00:00Z',
      until: '2026-03-16T08:00:00Z',
    });
    expect(answer.next?.person.name).toBe('Amara Okafor');
    expect(answer.next?.from).toBe('2026-03-16T08:00:00Z');
    expect(answer.scheduleUrl).toBe(
      'https://acme.pagerduty.com/schedules/PSCHED1',
    );
    expect(
      answer.escalation.map(l => ({
        level: l.level,
        afterMinutes: l.afterMinutes,
        people: l.people.map(p => p.name),
        schedules: l.schedules,
      })),
    ).toEqual([
      {
        level: 1,
        afterMinutes: 0,
        people: ['Jonas Weber'],
        schedules: ['Payments primary'],
      },
      { level: 2, afterMinutes: 15, people: ['Priya Raman'], schedules: [] },
    ]);
  });

  it('one millisecond before the hand-off, the outgoing person is still on call', async () => {
    const answer = await client().at(
      { scheduleId: 'PSCHED1' },
      new Date(HANDOFF - 1),
    );
    expect(answer.now?.person.name).toBe('Amara Okafor');
    expect(answer.next?.person.name).toBe('Jonas Weber');
    expect(answer.escalation).toEqual([]);
  });

  it('waits out a 429 the way pdjs retries it, and answers', async () => {
    const before = pd.calls('GET /oncalls');
    pd.inject({ kind: 'rate-limit' });
    const answer = await client().at(
      { scheduleId: 'PSCHED1' },
      new Date(HANDOFF),
    );
    expect(answer.now?.person.name).toBe('Jonas Weber');
    // The rate-limited attempt and its retry.
    expect(pd.calls('GET /oncalls') - before).toBe(2);
  });

  it('says PagerDuty refused a bad token, naming the request', async () => {
    const error = await client('wrong')
      .at(schedule, new Date(HANDOFF))
      .catch(e => e);
    expect(error).toBeInstanceOf(PagerDutyError);
    expect(error.message).toBe(
      'PagerDuty GET /oncalls answered 401 (Authentication failed)',
    );
  });

  it('reports a PagerDuty outage as an error rather than an empty rotation', async () => {
    pd.inject({ kind: 'server-error', status: 503 });
    await expect(client().at(schedule, new Date(HANDOFF))).rejects.toThrow(
      'PagerDuty GET /oncalls answered 503 (Internal Server Error)',
    );
  });

  it('reads every page of a long answer', async () => {
    const many: PagerDutyAccount = {
      ...account,
      schedules: [
        {
          id: 'PDAILY1',
          name: 'Hourly',
          // 14 days of hourly shifts: 336 entries, four pages of 100.
          shifts: Array.from({ length: 336 }, (_, i) => ({
            user: i % 2 ? 'PAMARA1' : 'PJONAS1',
            start: new Date(HANDOFF + i * hour),
            end: new Date(HANDOFF + (i + 1) * hour),
          })),
        },
      ],
      escalationPolicies: [
        {
          id: 'PHOURLY',
          name: 'Hourly',
          rules: [
            { delayMinutes: 5, targets: [{ type: 'schedule', id: 'PDAILY1' }] },
          ],
        },
      ],
    };
    const double = await startPagerDutyDouble(many);
    try {
      const answer = await new PagerDutyOnCall({
        token: double.token,
        baseUrl: double.url,
      }).at({ scheduleId: 'PDAILY1' }, new Date(HANDOFF - 0.5 * hour));
      // Before the first shift: nobody yet, Jonas first.
      expect(answer.now).toBeNull();
      expect(answer.next?.person.name).toBe('Jonas Weber');
      expect(double.calls('GET /oncalls')).toBe(4);
    } finally {
      await double.close();
    }
  });
});
