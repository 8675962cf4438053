import { median, quantile } from './stats';

describe('bench statistics', () => {
  it('takes the mean of the two middle values for an even count', () => {
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });

  it('takes the middle value for an odd count', () => {
    expect(median([9, 1, 5])).toBe(5);
  });

  it('gives the nearest-rank p95 and the maximum for p100', () => {
    const xs = Array.from({ length: 20 }, (_, i) => i + 1);
    expect(quantile(xs, 0.95)).toBe(19);
    expect(quantile(xs, 1)).toBe(20);
  });

  it('is NaN on no samples rather than a made-up figure', () => {
    expect(median([])).toBeNaN();
    expect(quantile([], 0.5)).toBeNaN();
  });
});
