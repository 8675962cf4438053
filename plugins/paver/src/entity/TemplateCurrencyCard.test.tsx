// @vitest-environment jsdom
import { render, screen, within } from '@testing-library/react';
import { MemoryRouter } from 'react-router-dom';
import { TemplateCurrencyCard } from './TemplateCurrencyCard';

function renderCard(props: Parameters<typeof TemplateCurrencyCard>[0]) {
  return render(
    <MemoryRouter>
      <TemplateCurrencyCard {...props} />
    </MemoryRouter>,
  );
}

// The value the card shows under a label (a <dt> and its <dd>).
function field(label: string): string | null | undefined {
  const fields = screen.getByLabelText('Golden path');
  return within(fields).getByText(label).nextElementSibling?.textContent;
}

describe('TemplateCurrencyCard', () => {
  it('shows a service two releases behind, in the warm colour, with a link to the Golden paths page', () => {
    renderCard({
      currency: {
        template: 'auth-service',
        version: '1.0.0',
        latest: '2.0.0',
        behind: 2,
      },
      goldenPathsLink: '/golden-paths',
    });

    expect(screen.getByText('Golden path')).toBeTruthy();
    expect(field('Template')).toBe('auth-service');
    expect(field('Version')).toBe('1.0.0');
    expect(field('Latest release')).toBe('2.0.0');
    const chip = screen.getByTestId('template-currency');
    expect(chip.textContent).toBe('2 releases behind');
    expect(chip.style.backgroundColor).toBe('rgb(239, 108, 0)');
    expect(
      screen
        .getByRole('link', { name: 'View on Golden paths' })
        .getAttribute('href'),
    ).toBe('/golden-paths');
  });

  it('shows an up-to-date service in green', () => {
    renderCard({
      currency: {
        template: 'auth-service',
        version: '2.0.0',
        latest: '2.0.0',
        behind: 0,
      },
      goldenPathsLink: '/golden-paths',
    });

    const chip = screen.getByTestId('template-currency');
    expect(chip.textContent).toBe('up to date');
    expect(chip.style.backgroundColor).toBe('rgb(46, 125, 50)');
    expect(field('Latest release')).toBe('2.0.0');
  });

  it('says so when the version is not a release the catalog knows, and links nowhere without the page', () => {
    renderCard({
      currency: { template: 'auth-service', version: '0.9.0-dev' },
    });

    expect(screen.getByTestId('template-currency').textContent).toBe(
      'not a release',
    );
    expect(field('Latest release')).toBe('unknown');
    expect(screen.getByText(/cannot tell how far behind/)).toBeTruthy();
    expect(screen.queryByRole('link')).toBeNull();
  });
});
