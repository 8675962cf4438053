
// Seconds; the usual Prometheus HTTP buckets.
const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

type Labels = Record<string, string>;

interface Series {
  labels: Labels;
  count: number;
  sum: number;
  buckets: number[];
}

/** In-process metrics rendered in the Prometheus text format (no client library needed). */
export class Metrics {
  private readonly counters = new Map<string, { help: string; series: Map<string, { labels: Labels; value: number }> }>();
  private readonly histograms = new Map<string, { help: string; series: Map<string, Series> }>();
  private readonly startedAt = Date.now();

  constructor() {
    this.counters.set('http_requests_total', { help: 'HTTP requests by method, route and status.', series: new Map() });
    this.histograms.set('http_request_duration_seconds', { help: 'HTTP request duration by method and route.', series: new Map() });
  }

  /** Records one served request. `route` is the route pattern, never the raw path, to bound cardinality. */
  observeRequest(method: string, route: string, status: number, seconds: number): void {
    this.increment('http_requests_total', { method, route, status: String(status) });
    this.observe('http_request_duration_seconds', { method, route }, seconds);
  }

  /** Adds to a counter; a golden path may declare its own (`invoices_created_total`). */
  increment(name: string, labels: Labels = {}, by = 1, help = name): void {
    const counter = this.counters.get(name) ?? { help, series: new Map() };
    this.counters.set(name, counter);
    const key = labelText(labels);
    const series = counter.series.get(key) ?? { labels, value: 0 };
    series.value += by;
    counter.series.set(key, series);
  }

  observe(name: string, labels: Labels, seconds: number, help = name): void {
    const histogram = this.histograms.get(name) ?? { help, series: new Map() };
    this.histograms.set(name, histogram);
    const key = labelText(labels);
    const series = histogram.series.get(key) ?? { labels, count: 0, sum: 0, buckets: BUCKETS.map(() => 0) };
    series.count += 1;
    series.sum += seconds;
    BUCKETS.forEach((bound, i) => {
      if (seconds <= bound) series.buckets[i] += 1;
    });
    histogram.series.set(key, series);
  }

  render(): string {
    const lines: string[] = [];
    lines.push('# HELP process_uptime_seconds Seconds since the service started.');
    lines.push('# TYPE process_uptime_seconds gauge');
    lines.push(`process_uptime_seconds ${(Date.now() - this.startedAt) / 1000}`);
    for (const [name, counter] of this.counters) {
      lines.push(`# HELP ${name} ${counter.help}`, `# TYPE ${name} counter`);
      for (const s of counter.series.values()) lines.push(`${name}${labelText(s.labels)} ${s.value}`);
    }
    for (const [name, histogram] of this.histograms) {
      lines.push(`# HELP ${name} ${histogram.help}`, `# TYPE ${name} histogram`);
      for (const s of histogram.series.values()) {
        BUCKETS.forEach((bound, i) => {
          lines.push(`${name}_bucket${labelText({ ...s.labels, le: String(bound) })} ${s.buckets[i]}`);
        });
        lines.push(`${name}_bucket${labelText({ ...s.labels, le: '+Inf' })} ${s.count}`);
        lines.push(`${name}_sum${labelText(s.labels)} ${s.sum}`, `${name}_count${labelText(s.labels)} ${s.count}`);
      }
    }
    return `${lines.join('\n')}\n`;
  }
}

function labelText(labels: Labels): string {
  const entries = Object.entries(labels);
  if (entries.length === 0) return '';
  const escape = (v: string) => v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
  return `{${entries.map(([k, v]) => `${k}="${escape(v)}"`).join(',')}}`;
}
