import { CustomErrorBase } from '@backstage/errors';

/** Prometheus could not be reached, was too slow, or refused the query. */
export class PrometheusError extends CustomErrorBase {
  name = 'PrometheusError' as const;
}

/** One series of an instant query's vector: its labels and its value at the query's instant. */
export interface PrometheusSample {
  labels: Record<string, string>;
  value: number;
}

/** How to reach Prometheus. */
export interface PrometheusApiOptions {
  /** Prometheus' own address, without `/api/v1`: `http://prometheus:9090`. */
  baseUrl: string;
  /**
   * How long one query may take before the card is answered without it. The card waits for
   * this, so it is short: budgets are recorded series, cheap to read when Prometheus is well.
   * @default 3000
   */
  timeoutMs?: number;
}

interface QueryResponse {
  status: 'success' | 'error';
  error?: string;
  data?: {
    resultType: string;
    result: { metric: Record<string, string>; value: [number, string] }[];
  };
}

/** Instant queries through Prometheus' HTTP API (`GET /api/v1/query`). */
export class PrometheusApi {
  private readonly baseUrl: string;
  private readonly timeoutMs: number;

  constructor(options: PrometheusApiOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.timeoutMs = options.timeoutMs ?? 3000;
  }

  /** The vector `promql` evaluates to now. Throws a PrometheusError naming what went wrong. */
  async query(promql: string): Promise<PrometheusSample[]> {
    const url = `${this.baseUrl}/api/v1/query?${new URLSearchParams({
      query: promql,
    })}`;
    let response: Response;
    let body: QueryResponse | undefined;
    try {
      // The timeout covers the body too: a Prometheus that stalls mid-answer is as slow as one
      // that never answers.
      response = await fetch(url, {
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      body = await response.json().catch(error => {
        if (isAbort(error)) throw error;
        return undefined; // not JSON: a proxy's error page; the status says the rest
      });
    } catch (error) {
      throw new PrometheusError(
        `Prometheus at ${this.baseUrl} ${this.unreachable(error)}`,
      );
    }
    if (!response.ok || body?.status !== 'success' || !body.data) {
      throw new PrometheusError(
        `Prometheus at ${this.baseUrl} answered ${
          response.status
        } to ${promql}${body?.error ? `: ${body.error}` : ''}`,
      );
    }
    if (body.data.resultType !== 'vector') {
      throw new PrometheusError(
        `Prometheus at ${this.baseUrl} answered a ${body.data.resultType}, not a vector, to ${promql}`,
      );
    }
    return body.data.result.map(series => ({
      labels: series.metric,
      // Prometheus writes sample values as strings, NaN and ±Inf included.
      value: Number(series.value[1]),
    }));
  }

  /** Why fetch failed, in words: "did not answer within 3 s", "could not be reached (ECONNREFUSED)". */
  private unreachable(error: unknown): string {
    if (isAbort(error)) {
      return `did not answer within ${this.timeoutMs / 1000} s`;
    }
    // Node's fetch fails with "fetch failed" and the socket's error as its cause.
    const cause = (error as { cause?: { code?: string; message?: string } })
      ?.cause;
    const reason =
      cause?.code ?? cause?.message ?? (error as Error)?.message ?? error;
    return `could not be reached (${reason})`;
  }
}

function isAbort(error: unknown): boolean {
  const name = (error as { name?: string } | undefined)?.name;
  return name === 'TimeoutError' || name === 'AbortError';
}
