import {
  budgetLevel,
  formatBudget,
  formatTarget,
  formatWindow,
} from './sloFormat';

describe('the SLO card wording', () => {
  it.each([
    [0.999, '99.9 %'],
    [0.99, '99 %'],
    [0.9995, '99.95 %'],
    [0.99999, '99.999 %'],
    [1, '100 %'],
  ])('writes the objective %d as %s', (target, text) => {
    expect(formatTarget(target)).toBe(text);
  });

  it.each([
    [1, '100 %'],
    [0.5, '50 %'],
    // 49.994 %: rounded down, never showing more budget than is left.
    [0.4999421229308948, '49.9 %'],
    [0.2, '20 %'],
    [1 - 0.07, '93 %'],
    [0, '0 %'],
    [-19, '−1900 %'],
    [-0.0001, '−0.1 %'],
  ])('writes the budget remaining %d as %s', (remaining, text) => {
    expect(formatBudget(remaining)).toBe(text);
  });

  it.each([
    [0.51, 'healthy'],
    [0.5, 'low'],
    [0.21, 'low'],
    [0.2, 'critical'],
    [-3, 'critical'],
  ])('rates %d of the budget left as %s', (remaining, level) => {
    expect(budgetLevel(remaining)).toBe(level);
  });

  it.each([
    [{ duration: '28d', rolling: true }, 'rolling 28 days'],
    [{ duration: '1w', rolling: true }, 'rolling 1 week'],
    [{ duration: '1M', rolling: false }, 'calendar month'],
    [{ duration: '2Q', rolling: false }, 'calendar 2 quarters'],
    [{ duration: '30x', rolling: true }, 'rolling 30x'],
  ])('writes the window %j as %s', (window, text) => {
    expect(formatWindow(window)).toBe(text);
  });
});
