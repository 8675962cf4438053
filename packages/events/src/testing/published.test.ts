import { startNats, type ThrowawayNats } from './nats.js';
import { publishedEvents, publishEvent } from './published.js';

let nats: ThrowawayNats;
beforeAll(async () => {
  nats = await startNats();
});
afterAll(() => nats?.stop());

describe('a producer double and an eye on a subject', () => {
  it('reads back what publishEvent stored, on its own subject only', async () => {
    const event = {
      source: 'auth-double',
      type: 'user.registered',
      version: 1,
      data: { userId: 'u-1', email: 'ada@example.org' },
    };
    const first = await publishEvent(nats.url, event);
    const other = await publishEvent(nats.url, { ...event, version: 2 });
    const seen = await publishedEvents(
      nats.url,
      'auth-double.user.registered.v1',
    );
    try {
      expect(await seen.find(e => e.id === first.id)).toEqual(first);
      await expect(seen.find(e => e.id === other.id, 300)).rejects.toThrow(
        /no matching event on auth-double.user.registered.v1 within 300 ms \(1 other events read\)/,
      );
    } finally {
      await seen.close();
    }
  });
});
