import { createRequire } from 'node:module';
import * as deep from '../../cdktf/src/cdk';

// The benchmark's barrel adapter must offer exactly what cdktf/src/cdk.ts offers, as the very
// same classes, or the two columns of RESULTS.md would not measure the same stacks.
describe('the benchmark barrel adapter', () => {
  it('exports the same classes as the deep-import adapter', () => {
    const barrel = createRequire(__filename)('./barrel-adapter.cjs') as Record<
      string,
      unknown
    >;
    expect(Object.keys(barrel).sort()).toEqual(Object.keys(deep).sort());
    for (const [name, value] of Object.entries(deep))
      expect(barrel[name], name).toBe(value);
  }, 60_000);
});
