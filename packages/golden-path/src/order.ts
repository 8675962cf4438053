/** Code-unit order, not locale order: the same on every machine, so output is reproducible. */
export function byCodeUnit(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}
