// @vitest-environment jsdom
import { act, fireEvent, render, screen, within } from '@testing-library/react';
import { MemoryRouter } from 'react-router-dom';
import type {
  FleetServiceState,
  GoldenPathSummary,
} from '@paver/plugin-paver-common';
import { GoldenPathCard } from './GoldenPathCard';

const BRANCH = 'paver/upgrade-demo-2.0.0';
const PULL = 'https://github.example/acme/svc-a/pull/1';
/** An external Link's accessible name: its text, then Backstage's new-window note. */
const opens = (text: string) => `${text}, Opens in a new window`;

const path: GoldenPathSummary = {
  name: 'demo',
  version: '2.0.0',
  releases: ['1.0.0', '2.0.0'],
  services: [
    {
      name: 'svc-a',
      template: 'demo',
      version: '1.0.0',
      latest: '2.0.0',
      behind: 1,
      drifted: [],
      driftNotComputed: 'not asked for',
      upgrades: [BRANCH],
      upgradeUrls: { [BRANCH]: PULL },
    },
    {
      name: 'svc-b',
      template: 'demo',
      version: '1.0.0',
      latest: '2.0.0',
      behind: 1,
      drifted: ['app.txt'],
      upgrades: [],
    },
  ],
};

function renderCard(
  upgrade: (
    t: string,
    v: string,
    onState: (s: FleetServiceState) => void,
  ) => Promise<void> = async () => {},
) {
  return render(
    <MemoryRouter>
      <GoldenPathCard
        path={path}
        upgrade={upgrade}
        settle={async () => {}}
        onUpgraded={() => {}}
      />
    </MemoryRouter>,
  );
}

describe('GoldenPathCard', () => {
  it('links each open upgrade to its pull request, and says when drift was not computed on GitHub', () => {
    renderCard();

    const table = screen.getByLabelText('demo services');
    const [, svcA, svcB] = within(table).getAllByRole('row');
    expect(
      within(svcA)
        .getByRole('link', { name: opens(BRANCH) })
        .getAttribute('href'),
    ).toBe(PULL);
    expect(
      within(svcA).getByText('drift: not computed on GitHub'),
    ).toBeTruthy();
    expect(within(svcB).getByText('app.txt')).toBeTruthy();
    expect(within(svcB).queryByRole('link')).toBeNull();
  });

  it('links the pull requests an upgrade opened or found open, and shows a branch without a url as text', async () => {
    renderCard(async (_t, _v, onState) => {
      onState({
        service: 'svc-a',
        state: 'already-open',
        branch: BRANCH,
        url: PULL,
        writes: [],
      });
      onState({
        service: 'svc-b',
        state: 'opened',
        branch: BRANCH,
        files: 1,
        conflicts: ['app.txt'],
        url: 'https://github.example/acme/svc-b/pull/3',
      });
      onState({
        service: 'svc-c',
        state: 'opened',
        branch: BRANCH,
        files: 1,
        conflicts: [],
      });
    });

    await act(async () => {
      fireEvent.click(
        screen.getByRole('button', { name: /Open upgrade pull requests/ }),
      );
    });

    const progress = screen.getByLabelText('demo upgrade progress');
    const links = within(progress)
      .getAllByRole('link')
      .map(a => a.getAttribute('href'));
    expect(links).toEqual([PULL, 'https://github.example/acme/svc-b/pull/3']);
    const items = within(progress).getAllByRole('listitem');
    // Backstage's Link says, to screen readers, that an external link opens a new window.
    const shown = items.map(li =>
      li.textContent?.replace(', Opens in a new window', ''),
    );
    expect(shown).toEqual([
      `svc-a: already open: ${BRANCH}`,
      `svc-b: opened ${BRANCH}, conflicts in app.txt`,
      `svc-c: opened ${BRANCH}`,
    ]);
  });
});
