import type { MeterPrice, Plan } from '../plans.js';

export interface InvoiceLine {
  kind: 'plan' | 'usage';
  description: string;
  meter: string | null;
  quantity: bigint;
  unitAmountMinor: bigint;
  amountMinor: bigint;
}

/** The lines for one period: the plan's fixed price, then each meter's usage above its allowance. */
export function invoiceLines(
  plan: Plan,
  usage: { meter: string; quantity: bigint }[],
): InvoiceLine[] {
  const planLine: InvoiceLine = {
    kind: 'plan',
    description: `${plan.name} (per ${plan.interval})`,
    meter: null,
    quantity: 1n,
    unitAmountMinor: plan.amountMinor,
    amountMinor: plan.amountMinor,
  };
  return [planLine, ...plan.meters.map(price => usageLine(price, usage))];
}

function usageLine(
  price: MeterPrice,
  usage: { meter: string; quantity: bigint }[],
): InvoiceLine {
  const used = usage.find(u => u.meter === price.meter)?.quantity ?? 0n;
  const billable =
    used > price.includedQuantity ? used - price.includedQuantity : 0n;
  return {
    kind: 'usage',
    description: `${price.meter}: ${used} used, ${price.includedQuantity} included`,
    meter: price.meter,
    quantity: billable,
    unitAmountMinor: price.unitAmountMinor,
    amountMinor: billable * price.unitAmountMinor,
  };
}
