// `paver who-owns <component>` under load: the CLI's own code (buildReport over apiSource, the
// requests one who-owns makes against a portal's catalog API), run by `clients` concurrent
// closed-loop clients on random Components for `seconds`. Each who-owns is timed from its first
// request to its report; its requests are counted through a fetch wrapper.
import { AsyncLocalStorage } from 'node:async_hooks';
import { performance } from 'node:perf_hooks';
import { buildReport } from '../../packages/cli/src/commands/whoOwns';
import { apiSource } from '../../packages/cli/src/catalog/apiSource';
import { median, quantile } from '../stats';

const requests = new AsyncLocalStorage<{ count: number }>();
let wrapped = false;

/** Counts, per who-owns, the requests it sends (apiSource calls the global fetch). */
function countRequests() {
  if (wrapped) return;
  wrapped = true;
  const original = globalThis.fetch;
  globalThis.fetch = ((...args: Parameters<typeof fetch>) => {
    const store = requests.getStore();
    if (store) store.count += 1;
    return original(...args);
  }) as typeof fetch;
}

export interface WhoOwnsRun {
  clients: number;
  seconds: number;
  /** Milliseconds per completed who-owns. */
  latencies: number[];
  /** Requests per completed who-owns. */
  requests: number[];
  failures: number;
  firstFailure?: string;
  wallMs: number;
  /** CPU seconds this process (the clients: JSON, schedules) spent. */
  clientCpuS: number;
}

export interface WhoOwnsCheck {
  name: string;
  owner: string | undefined;
  members: number;
  onCallNow: string | undefined;
  escalationLevels: number;
  system: string | null;
  dependsOn: number;
  dependedOnBy: number;
  problem: string | null;
  slo: string | null;
}

export function whoOwnsClient(baseUrl: string, token: string) {
  countRequests();
  const source = apiSource({ baseUrl, token });
  return {
    /** One who-owns, as the CLI builds its report; what it found, for a sanity check. */
    async check(name: string): Promise<WhoOwnsCheck> {
      const report = await buildReport(name, source);
      return {
        name,
        owner: report.owner?.ref,
        members: report.members.length,
        onCallNow: report.oncall?.now?.user.ref,
        escalationLevels: report.oncall?.escalation.length ?? 0,
        system: report.system,
        dependsOn: report.dependsOn.length,
        dependedOnBy: report.dependedOnBy.length,
        problem: report.oncall?.problem ?? null,
        slo: report.slo,
      };
    },
    async load(options: {
      names: readonly string[];
      clients: number;
      seconds: number;
    }): Promise<WhoOwnsRun> {
      const { names, clients, seconds } = options;
      const latencies: number[] = [];
      const counts: number[] = [];
      let failures = 0;
      let firstFailure: string | undefined;
      const cpu0 = process.cpuUsage();
      const t0 = performance.now();
      const until = t0 + seconds * 1000;
      const client = async () => {
        while (performance.now() < until) {
          const name = names[Math.floor(Math.random() * names.length)];
          const store = { count: 0 };
          const started = performance.now();
          try {
            await requests.run(store, () => buildReport(name, source));
            latencies.push(performance.now() - started);
            counts.push(store.count);
          } catch (error) {
            failures += 1;
            firstFailure ??= `${name}: ${String(error)}`;
          }
        }
      };
      await Promise.all(Array.from({ length: clients }, client));
      const cpu = process.cpuUsage(cpu0);
      return {
        clients,
        seconds,
        latencies,
        requests: counts,
        failures,
        firstFailure,
        wallMs: performance.now() - t0,
        clientCpuS: (cpu.user + cpu.system) / 1e6,
      };
    },
  };
}

export function summarise(run: WhoOwnsRun) {
  return {
    n: run.latencies.length,
    perSecond: (run.latencies.length / run.wallMs) * 1000,
    p50: median(run.latencies),
    p90: quantile(run.latencies, 0.9),
    p99: quantile(run.latencies, 0.99),
    max: Math.max(...run.latencies),
    requests: median(run.requests),
  };
}
