// @vitest-environment jsdom
import { render, screen, within } from '@testing-library/react';
import { MemoryRouter } from 'react-router-dom';
import type { SloReport, SloSummary } from '@paver/plugin-paver-common';
import { SloCard, type SloCardState } from './SloCard';

const REPO = 'https://github.com/acme/billing-api/tree/main';

const AVAILABILITY: SloSummary = {
  entityRef: 'slo:default/billing-api-availability',
  name: 'billing-api-availability',
  title: 'Billing API availability',
  service: 'component:default/billing-api',
  objectives: [{ displayName: 'Good', target: 0.999, budget: 0.4999421 }],
  window: { duration: '28d', rolling: true },
  budgetingMethod: 'Occurrences',
  source: `${REPO}/slo.yaml`,
  rules: `${REPO}/slo-rules.yaml`,
  alerts: [],
};

const LATENCY: SloSummary = {
  entityRef: 'slo:default/billing-api-latency',
  name: 'billing-api-latency',
  service: 'component:default/billing-api',
  objectives: [
    { target: 0.99, budget: -19 },
    { target: 0.95, budget: 0.75 },
    { target: 0.9, budget: 0.1 },
  ],
  window: { duration: '1M', rolling: false },
  budgetingMethod: 'Timeslices',
  source: `${REPO}/slo.yaml`,
  alerts: [
    { name: 'SloErrorBudgetBurnPage', severity: 'page', objective: '0.99' },
  ],
};

// What the SLO route answers for billing-api with Prometheus configured and answering.
const REPORT: SloReport = {
  entityRef: 'component:default/billing-api',
  prometheusConfigured: true,
  slos: [AVAILABILITY, LATENCY],
};

function renderCard(slos: SloCardState) {
  return render(
    <MemoryRouter>
      <SloCard
        slos={slos}
        // The catalog's entity route, as useEntityRefLink answers it.
        entityLink={ref => {
          const [, kind, namespace, name] = /^(\w+):(\w+)\/(.+)$/.exec(ref)!;
          return `/catalog/${namespace}/${kind}/${name}`;
        }}
      />
    </MemoryRouter>,
  );
}

const loaded = (report: SloReport): SloCardState => ({
  state: 'loaded',
  report,
});

function slo(name: string): HTMLElement {
  return screen.getByRole('region', { name });
}

/** Each meter's label, text and fill colour in the SLO's section. */
function budgets(section: HTMLElement) {
  return within(section)
    .queryAllByRole('meter')
    .map(meter => ({
      label: meter.getAttribute('aria-label'),
      text: meter.getAttribute('aria-valuetext'),
      width: within(meter).getByTestId('budget-fill').style.width,
      colour: within(meter).getByTestId('budget-fill').style.backgroundColor,
    }));
}

describe('SloCard', () => {
  it('shows each SLO linked to its entity, with its objectives as percentages and its window', () => {
    renderCard(loaded(REPORT));

    const availability = slo('Billing API availability');
    expect(
      within(availability)
        .getByRole('link', { name: 'Billing API availability' })
        .getAttribute('href'),
    ).toBe('/catalog/default/slo/billing-api-availability');
    expect(within(availability).getByText('99.9 % Good')).toBeTruthy();
    expect(
      within(availability).getByText('rolling 28 days · Occurrences'),
    ).toBeTruthy();
    // No title: the SLO's name.
    const latency = slo('billing-api-latency');
    expect(
      within(latency).getByText('calendar month · Timeslices'),
    ).toBeTruthy();
    expect(
      within(within(latency).getByRole('list', { name: 'Objectives' }))
        .getAllByRole('listitem')
        .map(item => item.firstChild?.textContent),
    ).toEqual(['99 %', '95 %', '90 %']);
  });

  it('draws the budget left as a bar: green over half, amber over a fifth, red below, empty when overspent', () => {
    renderCard(loaded(REPORT));

    expect(budgets(slo('Billing API availability'))).toEqual([
      {
        label: 'Error budget remaining for 99.9 %',
        text: '49.9 % left',
        width: '49.99421%',
        colour: 'rgb(249, 168, 37)', // amber: not over half
      },
    ]);
    expect(budgets(slo('billing-api-latency'))).toEqual([
      {
        label: 'Error budget remaining for 99 %',
        text: 'overspent (−1900 %)',
        width: '0%',
        colour: 'rgb(198, 40, 40)',
      },
      {
        label: 'Error budget remaining for 95 %',
        text: '75 % left',
        width: '75%',
        colour: 'rgb(46, 125, 50)',
      },
      {
        label: 'Error budget remaining for 90 %',
        text: '10 % left',
        width: '10%',
        colour: 'rgb(198, 40, 40)',
      },
    ]);
    expect(
      within(slo('billing-api-latency')).getByText('75 % left'),
    ).toBeTruthy();
  });

  it('lists the burn alerts firing now, and says when none is', () => {
    renderCard(loaded(REPORT));

    const firing = within(slo('billing-api-latency')).getByRole('list', {
      name: 'Alerts firing',
    });
    expect(
      within(firing)
        .getAllByRole('listitem')
        .map(item => item.textContent?.trim()),
    ).toEqual(['SloErrorBudgetBurnPage (page) for 99 %']);
    expect(
      within(slo('Billing API availability')).getByText(
        'No burn alerts firing',
      ),
    ).toBeTruthy();
  });

  it("links each SLO's definition and, when generated, its rules", () => {
    renderCard(loaded(REPORT));

    const links = (name: string) =>
      within(slo(name))
        .getAllByRole('link')
        .map(l => [l.textContent, l.getAttribute('href')]);
    expect(links('Billing API availability')).toEqual([
      [
        'Billing API availability',
        '/catalog/default/slo/billing-api-availability',
      ],
      ['SLO definition', `${REPO}/slo.yaml`],
      ['Alerting rules', `${REPO}/slo-rules.yaml`],
    ]);
    expect(links('billing-api-latency').map(([text]) => text)).toEqual([
      'billing-api-latency',
      'SLO definition',
    ]);
  });

  it('says "no Prometheus configured" where the budgets would be when there is none', () => {
    const unconfigured: SloReport = {
      ...REPORT,
      prometheusConfigured: false,
      slos: REPORT.slos.map(s => ({
        ...s,
        objectives: s.objectives.map(o => ({ ...o, budget: null })),
        alerts: null,
      })),
    };
    renderCard(loaded(unconfigured));

    expect(screen.queryAllByRole('meter')).toEqual([]);
    expect(screen.getAllByText('no Prometheus configured')).toHaveLength(4);
    expect(screen.queryByText('No burn alerts firing')).toBeNull();
    expect(screen.queryByRole('status')).toBeNull();
  });

  it("names Prometheus' failure once and still shows the SLOs", () => {
    const failing: SloReport = {
      ...REPORT,
      prometheusError:
        'Prometheus at http://prometheus:9090 did not answer within 3 s',
      slos: [
        {
          ...AVAILABILITY,
          objectives: [{ ...AVAILABILITY.objectives[0], budget: null }],
          alerts: null,
        },
      ],
    };
    renderCard(loaded(failing));

    expect(screen.getByRole('status').textContent).toBe(
      'Error budgets and alerts unavailable: Prometheus at http://prometheus:9090 did not answer within 3 s',
    );
    expect(
      within(slo('Billing API availability')).getByText(
        'budget unknown: Prometheus did not answer',
      ),
    ).toBeTruthy();
  });

  it('says so while loading, when the route fails, and when the entity has no SLOs', () => {
    const { unmount } = renderCard({ state: 'loading' });
    expect(screen.getByText('Reading the SLOs…')).toBeTruthy();
    unmount();

    renderCard({
      state: 'failed',
      message: 'no entity component:default/nope in the catalog',
    }).unmount();

    renderCard(loaded({ ...REPORT, slos: [] }));
    expect(
      screen.getByText(
        'No SLOs in the catalog for component:default/billing-api.',
      ),
    ).toBeTruthy();
  });
});
