// The report: one section per phase, in the order they ran, each with its load averages, since
// the figures are wall-clock times on a machine that may be doing other work.
import { machine } from '../backendBench';
import { median, quantile } from '../stats';
import type { Burst } from './concurrent';
import type { Pair, Sample } from './creates';
import type { LoadPhase, Pacing } from './loadPhase';

/** Takes one line (or a table) of the report. */
export type Out = (line?: string) => void;

/** What a run measured, phase by phase; a phase that did not run is absent. */
export interface RunResults {
  runId: string;
  postgres: boolean;
  readyMs: number;
  sequential: SequentialResults;
  concurrent?: { burst: Burst; load: string[] };
  loadPhases: LoadPhase[];
  pacing: Pacing;
}

export interface SequentialResults {
  samples: Sample[];
  /** Load averages before and after. */
  load: string[];
  runs: number;
  /** Every template's, in table order. */
  labels: string[];
  /** The billing service's two templates, raced in every phase. */
  paverLabel: string;
  stockLabel: string;
}

/** Milliseconds as seconds, two decimals; "—" for what never happened. */
export const sec = (ms: number) =>
  Number.isFinite(ms) ? (ms / 1000).toFixed(2) : '—';
const defined = (xs: (number | undefined)[]) =>
  xs.filter((x): x is number => x !== undefined);

/** The whole report: what it ran on, then a section per phase that ran. */
export function reportRun(out: Out, results: RunResults) {
  const { sequential, concurrent } = results;
  out(
    `Run ${new Date().toISOString()} (${results.runId}); ${machine()}; ${
      results.postgres
        ? 'PostgreSQL 15 (throwaway cluster)'
        : 'SQLite in memory'
    }; backend ready in ${sec(results.readyMs)} s.`,
  );
  out();
  sequentialSection(out, sequential);
  if (concurrent) concurrentSection(out, concurrent.burst, concurrent.load);
  const raced = [sequential.paverLabel, sequential.stockLabel];
  for (const phase of results.loadPhases)
    loadPhaseSection(out, phase, raced, results.pacing);
}

function sequentialSection(out: Out, run: SequentialResults) {
  out(
    `### Sequential creates (${run.runs} per template, interleaved, after one warm-up each)`,
  );
  out();
  out(`Load average (1/5/15 min) before / after: ${run.load.join(' → ')}.`);
  out();
  out(sequentialTable(run.samples, run.labels));
  out();
  const visibleOf = (label: string) =>
    median(
      defined(
        run.samples.filter(s => s.subject === label).map(s => s.visibleMs),
      ),
    );
  const paverBilling = visibleOf(run.paverLabel);
  const stockBilling = visibleOf(run.stockLabel);
  out(
    `Billing, visible: Paver ${sec(paverBilling)} s, stock ${sec(
      stockBilling,
    )} s (median): stock / Paver = ${(stockBilling / paverBilling).toFixed(
      2,
    )}×.`,
  );
  out();
}

function concurrentSection(out: Out, b: Burst, load: string[]) {
  const n = b.samples.length;
  const ok = b.samples.filter(s => s.status === 'completed').length;
  const vis = defined(b.samples.map(s => s.visibleMs));
  const pushed = defined(b.samples.map(s => s.pushedMs));
  const done = defined(b.samples.map(s => s.doneMs));
  out(`### ${n} concurrent billing-service creates (submitted at once)`);
  out();
  out(
    `Load average before / after: ${load.join(
      ' → ',
    )}. All ${n} POSTs answered after ${sec(b.submitMs)} s.`,
  );
  out();
  out(
    '| completed | visible | throughput, tasks done (tasks/min) | throughput, visible (entities/min) | pushed p50 / p95 / max (s) | task done p50 / p95 / max (s) | visible p50 / p95 / max (s) |',
  );
  out('|---:|---:|---:|---:|---:|---:|---:|');
  out(
    `| ${ok}/${n} | ${vis.length}/${n} | ${perMinute(
      ok,
      b.lastDoneMs,
    )} | ${perMinute(vis.length, b.lastVisibleMs)} | ${spread(
      pushed,
    )} | ${spread(done)} | ${spread(vis)} |`,
  );
  out();
  const failures = b.samples.filter(s => s.status !== 'completed');
  out(
    failures.length
      ? `Failures:\n${failures
          .map(f => `- ${f.name}: ${f.status} ${f.error ?? ''}`)
          .join('\n')}`
      : 'Failures: none.',
  );
  out();
}

/** "p50 / p95 / max" in seconds. */
function spread(xs: number[]): string {
  return `${sec(median(xs))} / ${sec(quantile(xs, 0.95))} / ${sec(
    Math.max(...xs),
  )}`;
}

const perMinute = (count: number, ms: number) =>
  ((count / ms) * 60_000).toFixed(1);

function loadPhaseSection(
  out: Out,
  phase: LoadPhase,
  labels: string[],
  pacing: Pacing,
) {
  const { fill, ingest } = phase;
  out(`### ${fill.title}`);
  out();
  out(
    `Load average at registration / ingested / end: ${phase.load.join(
      ' → ',
    )}. All ${fill.n} visible after ${sec(ingest.ms)} s (${(
      (fill.n / ingest.ms) *
      1000
    ).toFixed(0)} entities/s).${phase.reads ? ` ${phase.reads}` : ''}`,
  );
  // About a dozen evenly spaced counts, and the last.
  const marks = ingest.samples.filter(
    (_, i, a) =>
      i % Math.max(1, Math.ceil(a.length / 12)) === 0 || i === a.length - 1,
  );
  out(
    `Ingest progress (s: visible): ${marks
      .map(([t, n]) => `${sec(t)}: ${n}`)
      .join(', ')}.`,
  );
  out();
  out(
    `While the catalog ingests them (a Paver and a stock create submitted together, a pair every ${pacing.gapS} s):`,
  );
  out();
  out(ratioSummary(phase.during));
  out();
  out(pairsTable(phase.during));
  out();
  out(
    `After the ingest (each entity refreshed again every 100–150 s by default): a pair every ${pacing.gapS} s for ${pacing.steadyS} s.`,
  );
  out();
  out(ratioSummary(phase.after));
  out();
  out(
    sequentialTable(
      phase.after.flatMap(p => [p.paver, p.stock]),
      labels,
    ),
  );
  out();
  out(pairsTable(phase.after));
  out();
}

function sequentialTable(samples: Sample[], labels: string[]): string {
  const rows = labels.map(label => {
    const ss = samples.filter(s => s.subject === label);
    const ok = ss.filter(s => s.status === 'completed').length;
    const col = (pick: (s: Sample) => number | undefined) => {
      const xs = defined(ss.map(pick));
      return `${sec(median(xs))} / ${sec(Math.max(...xs))}`;
    };
    const visible = defined(ss.map(s => s.visibleMs));
    return `| ${label} | ${ok}/${ss.length} | ${col(s => s.pushedMs)} | ${col(
      s => s.publishEventMs,
    )} | ${col(s => s.doneMs)} | ${col(s => s.visibleMs)} | ${visible.length}/${
      ss.length
    } |`;
  });
  return [
    '| template | tasks completed | pushed (s) median / max | publish event (s) median / max | task done (s) median / max | visible in catalog (s) median / max | visible |',
    '|---|---:|---:|---:|---:|---:|---:|',
    ...rows,
  ].join('\n');
}

const ratio = (pair: Pair) =>
  (pair.stock.visibleMs ?? NaN) / (pair.paver.visibleMs ?? NaN);
const status = (s: Sample) =>
  `${s.status}${
    s.error ? ` (${s.error.replace(/\|/g, '/').slice(0, 160)})` : ''
  }`;

function pairsTable(pairs: Pair[]): string {
  return [
    '| # | submitted (s after fill registered) | backlog at submit | Paver | Paver: pushed / done / visible (s) | stock | stock: pushed / done / visible (s) | stock / Paver, visible |',
    '|---:|---:|---:|---|---:|---|---:|---:|',
    ...pairs.map(({ paver, stock }, i) => {
      const times = (s: Sample) =>
        [s.pushedMs, s.doneMs, s.visibleMs]
          .map(ms => sec(ms ?? NaN))
          .join(' / ');
      return `| ${i + 1} | ${sec(paver.atMs ?? NaN)} | ${
        paver.backlog ?? '—'
      } | ${status(paver)} | ${times(paver)} | ${status(stock)} | ${times(
        stock,
      )} | ${ratio({ paver, stock }).toFixed(1)}× |`;
    }),
  ].join('\n');
}

function ratioSummary(pairs: Pair[]): string {
  const ratios = pairs.map(ratio).filter(Number.isFinite);
  const tenfold = ratios.filter(r => r >= 10).length;
  return `stock / Paver, visible, per pair: median ${median(ratios).toFixed(
    1,
  )}×, min ${Math.min(...ratios).toFixed(1)}×, max ${Math.max(
    ...ratios,
  ).toFixed(1)}×; ≥ 10× in ${tenfold} of ${ratios.length} pairs.`;
}
