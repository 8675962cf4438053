import { startOrder } from './order';
import type { DevService } from './workloads';

const service = (name: string, needs: string[] = []): DevService => ({
  name,
  dir: `/repos/${name}`,
  needs,
  workloads: [],
});

describe('startOrder', () => {
  it('starts each service after those it needs, whatever order the stack file lists', () => {
    const order = startOrder([
      service('notification-api', ['auth-api', 'billing-api']),
      service('billing-api', ['auth-api']),
      service('auth-api'),
    ]);
    expect(order.map(s => s.name)).toEqual([
      'auth-api',
      'billing-api',
      'notification-api',
    ]);
  });

  it('ignores needs outside the stack', () => {
    const order = startOrder([service('billing-api', ['ledger-api'])]);
    expect(order.map(s => s.name)).toEqual(['billing-api']);
  });

  it('refuses a cycle, naming it', () => {
    expect(() =>
      startOrder([service('a-api', ['b-api']), service('b-api', ['a-api'])]),
    ).toThrow(
      "the stack's services need each other in a cycle: a-api → b-api → a-api",
    );
  });
});
