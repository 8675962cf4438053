import { parseOpenSlo } from './openslo';
import { SloError } from './errors';
import { EXAMPLE_SERVICE, exampleSli, exampleSlo } from '@paver/test-utils';

const SERVICE = EXAMPLE_SERVICE;
const SLI = exampleSli();
const slo = (
  overrides: { target?: string; window?: string; service?: string } = {},
) => exampleSlo({ ...overrides, objective: overrides.target });
const file = (...docs: string[]) => docs.join('---\n');

describe('reading OpenSLO v1', () => {
  it('accepts a Service, an SLI and an SLO referring to it, resolving the SLI', () => {
    const parsed = parseOpenSlo(file(SERVICE, SLI, slo()));
    expect(parsed.services).toEqual(['checkout']);
    expect(parsed.slos).toHaveLength(1);
    expect(parsed.slos[0]).toMatchObject({
      name: 'checkout-availability',
      service: 'checkout',
      window: { duration: '30d', rolling: true },
      objectives: [{ target: 0.999 }],
    });
    expect(parsed.slos[0].indicator.ratioMetric?.good?.metricSource.type).toBe(
      'Prometheus',
    );
  });

  it('accepts targetPercent and a calendar window', () => {
    const calendar =
      '    - duration: 1M\n      calendar:\n        startTime: 2026-01-01 00:00:00\n        timeZone: Europe/Berlin';
    const parsed = parseOpenSlo(
      file(
        SERVICE,
        SLI,
        slo({ target: 'targetPercent: 99.9', window: calendar }),
      ),
    );
    expect(parsed.slos[0].objectives[0].target).toBeCloseTo(0.999);
    expect(parsed.slos[0].window).toEqual({ duration: '1M', rolling: false });
  });

  it.each([
    [
      'an objective over 100 %',
      { target: 'targetPercent: 100.5' },
      /SLO checkout-availability: spec\.objectives\[0\]\.targetPercent: must be in \(0, 100\]/,
    ],
    [
      'a zero target',
      { target: 'target: 0' },
      /spec\.objectives\[0\]\.target: must be in \(0, 1\]/,
    ],
    [
      'a malformed window',
      { window: '    - duration: thirty days\n      isRolling: true' },
      /spec\.timeWindow\[0\]\.duration: must be a duration like 28d/,
    ],
    [
      'a window that neither rolls nor follows a calendar',
      { window: '    - duration: 30d' },
      /spec\.timeWindow\[0\]: is neither rolling/,
    ],
    [
      'an unknown service',
      { service: 'payments' },
      /SLO checkout-availability: spec\.service: payments is not a known service/,
    ],
  ])('rejects %s, naming the field', (_, overrides, message) => {
    expect(() =>
      parseOpenSlo(file(SERVICE, SLI, slo(overrides)), 'slo.yaml'),
    ).toThrow(SloError);
    expect(() =>
      parseOpenSlo(file(SERVICE, SLI, slo(overrides)), 'slo.yaml'),
    ).toThrow(message);
  });

  it('knows the services the catalog has, without a Service document', () => {
    expect(
      parseOpenSlo(file(SLI, slo()), 'slo.yaml', ['checkout']).slos,
    ).toHaveLength(1);
  });

  it('rejects a ratio SLI with both good and bad, or neither', () => {
    const both = SLI.replace(
      '    total:',
      '    bad:\n      metricSource:\n        type: Prometheus\n        spec:\n          query: x\n    total:',
    );
    expect(() => parseOpenSlo(file(SERVICE, both, slo()))).toThrow(
      /SLI checkout-ratio: spec\.ratioMetric: needs exactly one of good or bad/,
    );
  });

  it('rejects an indicatorRef that names no SLI in the file', () => {
    expect(() => parseOpenSlo(file(SERVICE, slo()))).toThrow(
      /spec\.indicatorRef: no SLI named checkout-ratio/,
    );
  });

  it('names the document of a YAML error', () => {
    expect(() =>
      parseOpenSlo(`${SERVICE}---\nkind: [unclosed\n`, 'slo.yaml'),
    ).toThrow(/slo\.yaml: document 1/);
  });
});
