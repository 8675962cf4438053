import {
  canTransition,
  type SubscriptionStatus,
} from '../src/domain/subscriptions.js';

const ALL: SubscriptionStatus[] = ['active', 'past_due', 'canceled'];

describe('subscription status transitions', () => {
  it('goes past due on a failed payment and back to active once paid', () => {
    expect(canTransition('active', 'past_due')).toBe(true);
    expect(canTransition('past_due', 'active')).toBe(true);
  });

  it('can end from active or past due', () => {
    expect(canTransition('active', 'canceled')).toBe(true);
    expect(canTransition('past_due', 'canceled')).toBe(true);
  });

  it('treats canceled as final', () => {
    expect(ALL.filter(to => canTransition('canceled', to))).toEqual([]);
  });

  it('has no self-transitions, so a repeated event cannot look like a change', () => {
    expect(ALL.filter(s => canTransition(s, s))).toEqual([]);
  });
});
