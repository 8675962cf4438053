import { addMonthsClamped, periodAt } from '../src/domain/periods.js';

const at = (iso: string) => new Date(iso);

describe('billing periods', () => {
  it('bills monthly from the anchor, one calendar month per period', () => {
    const period = periodAt(at('2025-03-15T09:30:00Z'), 2, 'month');
    expect(period.start.toISOString()).toBe('2025-05-15T09:30:00.000Z');
    expect(period.end.toISOString()).toBe('2025-06-15T09:30:00.000Z');
  });

  it('clamps a 31st anchor to the end of short months and returns to the 31st after them', () => {
    const anchor = at('2025-01-31T00:00:00Z');
    expect(periodAt(anchor, 0, 'month').end.toISOString()).toBe(
      '2025-02-28T00:00:00.000Z',
    );
    expect(periodAt(anchor, 1, 'month').end.toISOString()).toBe(
      '2025-03-31T00:00:00.000Z',
    );
    expect(periodAt(anchor, 2, 'month').end.toISOString()).toBe(
      '2025-04-30T00:00:00.000Z',
    );
  });

  it('uses 29 February in a leap year', () => {
    expect(addMonthsClamped(at('2024-01-30T00:00:00Z'), 1).toISOString()).toBe(
      '2024-02-29T00:00:00.000Z',
    );
  });

  it('bills yearly in twelve-month steps across year ends', () => {
    const period = periodAt(at('2024-02-29T00:00:00Z'), 1, 'year');
    expect(period.start.toISOString()).toBe('2025-02-28T00:00:00.000Z');
    expect(period.end.toISOString()).toBe('2026-02-28T00:00:00.000Z');
  });

  it('makes consecutive periods meet exactly, with no gap or overlap', () => {
    const anchor = at('2025-01-31T12:00:00Z');
    for (let i = 0; i < 24; i++) {
      expect(periodAt(anchor, i, 'month').end.getTime()).toBe(
        periodAt(anchor, i + 1, 'month').start.getTime(),
      );
    }
  });
});
