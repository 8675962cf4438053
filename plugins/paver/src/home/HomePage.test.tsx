// @vitest-environment jsdom
import { fireEvent, render, screen, within } from '@testing-library/react';
import { MemoryRouter, Route, Routes, useLocation } from 'react-router-dom';
import type { OnCallReport } from '@paver/plugin-paver-common';
import { SearchBox } from './SearchBox';
import { TeamOnCallCard } from './TeamOnCallCard';

const PAYMENTS = { entityRef: 'group:default/payments', name: 'Payments' };

const REPORT: OnCallReport = {
  entityRef: 'group:default/payments',
  schedule: {
    name: 'payments-primary',
    title: 'Payments primary on-call',
    definedOn: 'group:default/payments',
    source: 'catalog',
    timeZone: 'Europe/Berlin',
  },
  at: '2026-12-02T16:00:00.000Z',
  now: {
    person: {
      name: 'Sofia Rossi',
      email: 'sofia.rossi@example.com',
      entityRef: 'user:default/sofia.rossi',
    },
    from: '2026-11-30T08:00:00.000Z',
    until: '2026-12-07T08:00:00.000Z',
  },
  next: {
    person: { name: 'Li Wei', entityRef: 'user:default/li.wei' },
    from: '2026-12-07T08:00:00.000Z',
    until: '2026-12-14T08:00:00.000Z',
  },
  escalation: [],
};

function entityLink(ref: string): string {
  const [, kind, namespace, name] = /^(\w+):(\w+)\/(.+)$/.exec(ref)!;
  return `/catalog/${namespace}/${kind}/${name}`;
}

function WhereAmI() {
  const location = useLocation();
  return <p data-testid="location">{location.pathname + location.search}</p>;
}

describe('the home page', () => {
  it('opens the search page with what was typed', () => {
    render(
      <MemoryRouter initialEntries={['/']}>
        <Routes>
          <Route path="/" element={<SearchBox />} />
          <Route path="/search" element={<WhereAmI />} />
        </Routes>
      </MemoryRouter>,
    );

    fireEvent.change(
      screen.getByRole('textbox', { name: 'Search the portal' }),
      {
        target: { value: ' billing api ' },
      },
    );
    fireEvent.click(screen.getByRole('button', { name: 'Search' }));

    expect(screen.getByTestId('location').textContent).toBe(
      '/search?query=billing%20api',
    );
  });

  it("shows a team's on-call now and next, the team linked to its Group", () => {
    render(
      <MemoryRouter>
        <TeamOnCallCard
          team={PAYMENTS}
          onCall={{ state: 'loaded', value: REPORT }}
          entityLink={entityLink}
          viewerTimeZone="Europe/Berlin"
        />
      </MemoryRouter>,
    );

    expect(
      screen.getByRole('link', { name: 'Payments' }).getAttribute('href'),
    ).toBe('/catalog/default/group/payments');
    const now = screen.getByRole('region', { name: 'On call now' });
    expect(
      within(now)
        .getByRole('link', { name: 'Sofia Rossi' })
        .getAttribute('href'),
    ).toBe('/catalog/default/user/sofia.rossi');
    expect(within(now).getByTestId('on-call-until').textContent).toBe(
      'until Mon 2026-12-07 09:00 Europe/Berlin',
    );
    expect(
      within(screen.getByRole('region', { name: 'Next' })).getByRole('link')
        .textContent,
    ).toBe('Li Wei');
  });

  it("shows the server's reason for a team without a rotation", () => {
    render(
      <MemoryRouter>
        <TeamOnCallCard
          team={PAYMENTS}
          onCall={{
            state: 'failed',
            message:
              'group:default/payments has no on-call schedule: set paver.dev/oncall on it or on its owner Group',
          }}
          entityLink={entityLink}
          viewerTimeZone="Europe/Berlin"
        />
      </MemoryRouter>,
    );

    expect(screen.getByRole('status').textContent).toMatch(
      /has no on-call schedule/,
    );
    expect(screen.queryByRole('region', { name: 'On call now' })).toBeNull();
  });
});
