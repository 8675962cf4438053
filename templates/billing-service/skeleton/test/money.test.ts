import { invoiceLines } from '../src/domain/invoices/lines.js';
import { canonicalJson } from '../src/domain/idempotency.js';
import { sum, toJson } from '../src/domain/money.js';
import type { Plan } from '../src/domain/plans.js';

const plan: Plan = {
  id: 'p',
  code: 'bulk',
  name: 'Bulk',
  currency: 'EUR',
  amountMinor: 1n,
  interval: 'month',
  meters: [
    { meter: 'events', unitAmountMinor: 4_000_000n, includedQuantity: 1n },
  ],
  createdAt: new Date(0),
};

describe('money arithmetic', () => {
  it('computes line amounts exactly beyond the range a float holds', () => {
    const lines = invoiceLines(plan, [
      { meter: 'events', quantity: 3_000_000_001n },
    ]);
    expect(lines[1].amountMinor).toBe(12_000_000_000_000_000n);
    expect(sum(lines.map(l => l.amountMinor))).toBe(12_000_000_000_000_001n);
  });

  it('refuses to send an amount JSON cannot carry exactly, instead of rounding it', () => {
    expect(toJson(9_007_199_254_740_991n)).toBe(9_007_199_254_740_991);
    expect(() => toJson(9_007_199_254_740_992n)).toThrow(
      /cannot be represented exactly/,
    );
  });

  it('bills nothing for usage within the allowance', () => {
    const [, line] = invoiceLines(plan, [{ meter: 'events', quantity: 1n }]);
    expect(line).toMatchObject({ quantity: 0n, amountMinor: 0n });
  });
});

describe('canonical request bodies', () => {
  it('gives the same text whatever the key order, at every depth', () => {
    expect(
      canonicalJson({ b: 1, a: { d: [2, { f: 1, e: 0 }], c: null } }),
    ).toBe(canonicalJson({ a: { c: null, d: [2, { e: 0, f: 1 }] }, b: 1 }));
  });

  it('keeps array order, which is meaningful', () => {
    expect(canonicalJson([1, 2])).not.toBe(canonicalJson([2, 1]));
  });
});
