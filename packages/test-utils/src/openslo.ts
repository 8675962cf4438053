// OpenSLO v1 documents in the shape of the spec's own examples, for the tests of @paver/slo, the
// engine's derived files and `paver slo generate`.

export interface ExampleOptions {
  /** The objective line. @default 'target: 0.999' */
  objective?: string;
  /** The timeWindow list. @default a rolling 30d window */
  window?: string;
  /** The SLO's service. @default checkout */
  service?: string;
  /** Which side of the ratio the SLI counts. @default good */
  counts?: 'good' | 'bad';
}

export const EXAMPLE_SERVICE = `apiVersion: openslo/v1
kind: Service
metadata:
  name: checkout
spec:
  description: The checkout API
`;

/** A ratio SLI over http_requests_total, its range left to the generator as `{{.window}}`. */
export function exampleSli(
  counts: 'good' | 'bad' = 'good',
  name = 'checkout-ratio',
): string {
  const selector = counts === 'good' ? 'status!~"5.."' : 'status=~"5.."';
  return `apiVersion: openslo/v1
kind: SLI
metadata:
  name: ${name}
spec:
  ratioMetric:
    counter: true
    ${counts}:
      metricSource:
        type: Prometheus
        spec:
          query: sum(rate(http_requests_total{job="checkout",${selector}}[{{.window}}]))
    total:
      metricSource:
        type: Prometheus
        spec:
          query: sum(rate(http_requests_total{job="checkout"}[{{.window}}]))
`;
}

/** An SLO referring to `exampleSli()` by name. */
export function exampleSlo(options: ExampleOptions = {}): string {
  return `apiVersion: openslo/v1
kind: SLO
metadata:
  name: checkout-availability
spec:
  service: ${options.service ?? 'checkout'}
  indicatorRef: checkout-ratio
  timeWindow:
${options.window ?? '    - duration: 30d\n      isRolling: true'}
  budgetingMethod: Occurrences
  objectives:
    - displayName: Good
      ${options.objective ?? 'target: 0.999'}
`;
}

/** A whole slo.yaml: the Service, the SLI and the SLO. */
export function exampleFile(options: ExampleOptions = {}): string {
  return [
    EXAMPLE_SERVICE,
    exampleSli(options.counts),
    exampleSlo(options),
  ].join('---\n');
}
