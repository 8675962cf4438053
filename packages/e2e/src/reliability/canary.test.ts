import { leaksIn, makeCanary } from './canary';

describe('the canary secret', () => {
  it('is found in every transformed form a template could produce, and not in unrelated text', () => {
    const canary = makeCanary();
    const half = canary.value.length >> 1;
    const samples: Record<string, string> = {
      'as is': `token=${canary.value}`,
      'in JSON': JSON.stringify({
        headers: { authorization: `Bearer ${canary.value}` },
      }),
      'basic auth, base64': Buffer.from(
        `x-access-token:${canary.value}`,
      ).toString('base64'),
      'base64url after 1 byte': Buffer.from(`a${canary.value}`).toString(
        'base64url',
      ),
      'base64 after 2 bytes': Buffer.from(`ab${canary.value}`).toString(
        'base64',
      ),
      reversed: [...canary.value].reverse().join(''),
      'split in halves': `${canary.value.slice(0, half)}\n${canary.value.slice(
        half,
      )}`,
      hex: Buffer.from(canary.value).toString('hex'),
    };
    for (const [name, text] of Object.entries(samples)) {
      expect(leaksIn(canary, text), name).not.toEqual([]);
    }
    expect(
      leaksIn(canary, `CANARY-${'0'.repeat(32)} and ${makeCanary().value}`),
    ).toEqual([]);
  });
});
