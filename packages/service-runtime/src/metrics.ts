import {
  collectDefaultMetrics,
  Counter,
  Histogram,
  Registry,
} from 'prom-client';

export { Counter, Gauge, Histogram, Registry } from 'prom-client';

/** Request duration buckets in seconds: 5 ms to 10 s, dense where SLO thresholds sit. */
const DURATION_BUCKETS = [
  0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
];

/**
 * The service's metrics: one prom-client registry holding the process defaults and the RED
 * metrics per operation (rate and errors from the counter, duration from the histogram).
 * A golden path registers its own metrics on `registry`.
 */
export class ServiceMetrics {
  readonly registry = new Registry();
  private readonly requests: Counter<
    'method' | 'route' | 'operation' | 'status'
  >;
  private readonly duration: Histogram<
    'method' | 'route' | 'operation' | 'status'
  >;

  constructor() {
    collectDefaultMetrics({ register: this.registry });
    const labelNames = ['method', 'route', 'operation', 'status'] as const;
    this.requests = new Counter({
      name: 'http_requests_total',
      help: 'HTTP requests served, by method, route pattern, operation and status',
      labelNames,
      registers: [this.registry],
    });
    this.duration = new Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP request duration in seconds, by method, route pattern, operation and status',
      labelNames,
      buckets: DURATION_BUCKETS,
      registers: [this.registry],
    });
  }

  observeRequest(
    labels: {
      method: string;
      route: string;
      operation: string;
      status: number;
    },
    seconds: number,
  ): void {
    const values = { ...labels, status: String(labels.status) };
    this.requests.inc(values);
    this.duration.observe(values, seconds);
  }

  /** The Prometheus text exposition of every metric. */
  render(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
