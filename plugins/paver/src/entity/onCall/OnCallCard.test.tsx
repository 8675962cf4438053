// @vitest-environment jsdom
import { render, screen, within } from '@testing-library/react';
import { MemoryRouter } from 'react-router-dom';
import type { OnCallReport } from '@paver/plugin-paver-common';
import { OnCallCard, type OnCallCardProps } from './OnCallCard';
import type { OwningTeam } from './owningTeam';

// Payments' rotation on a Wednesday: Li Wei covers by override until Monday's 09:00 handoff.
const REPORT: OnCallReport = {
  entityRef: 'component:default/billing-api',
  schedule: {
    name: 'payments-primary',
    title: 'Payments primary on-call',
    definedOn: 'component:default/billing-api',
    source: 'pagerduty',
    timeZone: 'Europe/Berlin',
    url: 'https://example.pagerduty.com/schedules/P1234',
  },
  at: '2026-12-02T16:00:00.000Z',
  now: {
    person: {
      name: 'Li Wei',
      email: 'li.wei@example.com',
      entityRef: 'user:default/li.wei',
    },
    from: '2026-11-30T08:00:00.000Z',
    until: '2026-12-07T08:00:00.000Z',
    override: true,
  },
  next: {
    person: { name: 'Mateo Garcia', entityRef: 'user:default/mateo.garcia' },
    from: '2026-12-07T08:00:00.000Z',
    until: '2026-12-14T08:00:00.000Z',
  },
  escalation: [
    {
      level: 1,
      afterMinutes: 0,
      people: [{ name: 'Li Wei', entityRef: 'user:default/li.wei' }],
      schedules: [],
    },
    {
      level: 2,
      afterMinutes: 15,
      people: [{ name: 'Sofia Rossi', entityRef: 'user:default/sofia.rossi' }],
      schedules: [],
    },
    { level: 3, afterMinutes: 90, people: [], schedules: ['platform-primary'] },
  ],
};

const TEAM: OwningTeam = {
  entityRef: 'group:default/payments',
  name: 'Payments',
  members: [
    {
      entityRef: 'user:default/li.wei',
      name: 'Li Wei',
      email: 'li.wei@example.com',
    },
    { entityRef: 'user:default/sofia.rossi', name: 'Sofia Rossi' },
  ],
};

const RUNBOOK_URL =
  'http://localhost:7007/api/scaffolder/paver/repos/billing-api/contents/docs/runbook.md';

function renderCard(props: Partial<OnCallCardProps> = {}) {
  return render(
    <MemoryRouter>
      <OnCallCard
        onCall={{ state: 'loaded', value: REPORT }}
        team={{ state: 'loaded', value: TEAM }}
        runbook={{ url: RUNBOOK_URL }}
        // The catalog's entity route, as useEntityRefLink answers it.
        entityLink={ref => {
          const [, kind, namespace, name] = /^(\w+):(\w+)\/(.+)$/.exec(ref)!;
          return `/catalog/${namespace}/${kind}/${name}`;
        }}
        viewerTimeZone="America/New_York"
        {...props}
      />
    </MemoryRouter>,
  );
}

function section(name: string): HTMLElement {
  return screen.getByRole('region', { name });
}

function hrefOf(container: HTMLElement, name: string | RegExp) {
  return within(container).getByRole('link', { name }).getAttribute('href');
}

describe('OnCallCard', () => {
  it("shows who is on call now, linked and mailable, until when on the schedule's clock and the viewer's", () => {
    renderCard();

    const now = section('On call now');
    expect(hrefOf(now, 'Li Wei')).toBe('/catalog/default/user/li.wei');
    expect(hrefOf(now, 'li.wei@example.com')).toBe('mailto:li.wei@example.com');
    expect(within(now).getByTestId('on-call-override').textContent).toBe(
      'override',
    );
    expect(within(now).getByTestId('on-call-until').textContent).toBe(
      'until Mon 2026-12-07 09:00 Europe/Berlin' +
        'Mon 2026-12-07 03:00 America/New_York (your time)',
    );
  });

  it('shows who is next and from when, and each escalation level with whom it pages', () => {
    renderCard();

    const next = section('Next');
    expect(hrefOf(next, 'Mateo Garcia')).toBe(
      '/catalog/default/user/mateo.garcia',
    );
    expect(within(next).getByTestId('on-call-from').textContent).toMatch(
      /^from Mon 2026-12-07 09:00 Europe\/Berlin/,
    );
    expect(within(next).queryByText('override')).toBeNull();

    const levels = within(section('Escalation'))
      .getAllByRole('listitem')
      .map(item => item.textContent);
    expect(levels).toEqual([
      'immediately: Li Wei',
      'after 15 min: Sofia Rossi',
      'after 1 h 30 min: platform-primary (schedule)',
    ]);
    expect(hrefOf(section('Escalation'), 'platform-primary')).toBe(
      '/catalog/default/resource/platform-primary',
    );
  });

  it('links the owning team and its members, the schedule, the runbook and the pager', () => {
    renderCard();

    const owner = section('Owner');
    expect(hrefOf(owner, 'Payments')).toBe('/catalog/default/group/payments');
    const members = within(
      within(owner).getByRole('list', { name: 'Team members' }),
    ).getAllByRole('listitem');
    expect(members.map(m => m.textContent)).toEqual([
      'Li Wei · li.wei@example.com',
      'Sofia Rossi',
    ]);
    const schedule = screen.getByTestId('on-call-schedule');
    expect(schedule.textContent).toBe(
      'Payments primary on-call · Open in PagerDuty',
    );
    expect(hrefOf(schedule, 'Payments primary on-call')).toBe(
      '/catalog/default/resource/payments-primary',
    );
    expect(hrefOf(document.body, 'Runbook')).toBe(RUNBOOK_URL);
    expect(hrefOf(document.body, 'Open in PagerDuty')).toBe(
      REPORT.schedule.url,
    );
  });

  it("shows the server's reason when there is no schedule, and still the owner and the runbook", () => {
    renderCard({
      onCall: {
        state: 'failed',
        message:
          'component:default/billing-api has no on-call schedule: set paver.dev/oncall on it or on its owner Group',
      },
    });

    expect(screen.getByRole('status').textContent).toMatch(
      /has no on-call schedule: set paver\.dev\/oncall/,
    );
    expect(screen.queryByRole('region', { name: 'On call now' })).toBeNull();
    expect(hrefOf(section('Owner'), 'Payments')).toBe(
      '/catalog/default/group/payments',
    );
    expect(hrefOf(document.body, 'Runbook')).toBe(RUNBOOK_URL);
    expect(
      screen.queryByRole('link', { name: 'Open in PagerDuty' }),
    ).toBeNull();
  });

  it('says it is looking while the report loads', () => {
    renderCard({ onCall: { state: 'loading' }, team: { state: 'loading' } });

    expect(screen.getByText('Looking up who is on call…')).toBeTruthy();
    expect(screen.queryByRole('region', { name: 'Owner' })).toBeNull();
  });

  it('says so when nobody is on call, nobody owns it and there is no runbook', () => {
    renderCard({
      onCall: {
        state: 'loaded',
        value: {
          ...REPORT,
          schedule: { ...REPORT.schedule, source: 'catalog', url: undefined },
          now: null,
          next: null,
          escalation: [
            { level: 1, afterMinutes: 0, people: [], schedules: [] },
          ],
        },
      },
      team: { state: 'loaded', value: undefined },
      runbook: undefined,
    });

    expect(section('On call now').textContent).toMatch(
      /Nobody is on call right now/,
    );
    expect(screen.queryByRole('region', { name: 'Next' })).toBeNull();
    expect(
      within(section('Escalation')).getByRole('listitem').textContent,
    ).toBe('immediately: nobody right now');
    expect(screen.getByText(/No owner in the catalog/)).toBeTruthy();
    expect(
      screen.getByText(/No runbook: set paver\.dev\/runbook/),
    ).toBeTruthy();
    expect(
      screen.queryByRole('link', { name: 'Open in PagerDuty' }),
    ).toBeNull();
  });

  it("shows one clock when the viewer is in the schedule's zone, and names an unlinkable runbook path", () => {
    renderCard({
      viewerTimeZone: 'Europe/Berlin',
      runbook: { path: 'docs/runbook.md' },
    });

    expect(screen.getByTestId('on-call-until').textContent).toBe(
      'until Mon 2026-12-07 09:00 Europe/Berlin',
    );
    expect(screen.getByText('Runbook: docs/runbook.md')).toBeTruthy();
    expect(screen.queryByRole('link', { name: 'Runbook' })).toBeNull();
  });
});
