// The report: one ingestion table and one who-owns table for both settings, then the ratio and
// the targets read against them.
import type { Ingest } from './ingest';
import type { Org } from './org';
import type { Setting } from './settings';
import { summarise, type WhoOwnsCheck, type WhoOwnsRun } from './whoOwnsLoad';

export interface SettingResult {
  setting: Setting;
  round: number;
  readyMs: number;
  ingest: Ingest;
  ingestCpu: { backendS: number; postgresS: number; wallS: number };
  checks: WhoOwnsCheck[];
  single?: WhoOwnsRun;
  loaded?: WhoOwnsRun;
  loadCpu?: { backendS: number; postgresS: number; wallS: number };
  /** Catalog state as the load ran: entities due for processing at its start and end. */
  dueDuringLoad?: [number, number];
  error?: string;
}

const s1 = (ms: number | undefined) =>
  ms === undefined || !Number.isFinite(ms) ? '—' : (ms / 1000).toFixed(1);
const ms1 = (ms: number) => (Number.isFinite(ms) ? ms.toFixed(1) : '—');
const int = (x: number) => Math.round(x).toLocaleString('en-US');

export function entitiesPerSecond(ingest: Ingest): number | undefined {
  return ingest.doneMs === undefined
    ? undefined
    : (ingest.entities / ingest.doneMs) * 1000;
}

/** Entities served per second so far, for a run that did not finish. */
function partialRate(ingest: Ingest): number {
  const last = ingest.samples[ingest.samples.length - 1];
  return last ? (last.counts.stitched / last.atMs) * 1000 : NaN;
}

function progress(ingest: Ingest): string {
  const marks = ingest.samples.filter(
    (_, i, a) =>
      i % Math.max(1, Math.ceil(a.length / 10)) === 0 || i === a.length - 1,
  );
  return marks
    .map(
      s =>
        `${s1(s.atMs)} s: ${int(s.counts.stitched)} served / ${int(
          s.counts.known,
        )} known, ${int(s.counts.stitchQueue)} queued to stitch`,
    )
    .join('; ');
}

export function ingestTable(results: SettingResult[]): string {
  const rows = results.map(r => {
    const i = r.ingest;
    const eps = entitiesPerSecond(i);
    const cpu = r.ingestCpu;
    const peakQueue = Math.max(...i.samples.map(s => s.counts.stitchQueue));
    return `| ${r.setting.label} | ${r.round} | ${int(i.entities)} in ${
      i.locations
    } files | ${s1(i.registerMs)} | ${
      i.doneMs === undefined
        ? `not done after ${s1(i.timedOutMs)} s (${int(
            i.final.stitched,
          )} served, ${partialRate(i).toFixed(0)}/s)`
        : s1(i.doneMs)
    } | ${s1(i.allStitchedOnceMs)} | **${
      eps === undefined ? '—' : eps.toFixed(0)
    }** | ${int(peakQueue)} | ${i.final.errored} | ${(
      (cpu.backendS / cpu.wallS) *
      100
    ).toFixed(0)} % / ${((cpu.postgresS / cpu.wallS) * 100).toFixed(0)} % |`;
  });
  return [
    '| setting | round | entities | registered (s) | processed and stitched (s) | last entity first served (s) | entities/s | peak stitch queue | entities with errors | CPU backend / PostgreSQL (% of one core) |',
    '|---|---:|---|---:|---:|---:|---:|---:|---:|---:|',
    ...rows,
  ].join('\n');
}

export function whoOwnsTable(results: SettingResult[]): string {
  const rows: string[] = [];
  for (const r of results) {
    for (const run of [r.single, r.loaded]) {
      if (!run) continue;
      const s = summarise(run);
      const cpu = run === r.loaded ? r.loadCpu : undefined;
      rows.push(
        `| ${r.setting.label} | ${r.round} | ${run.clients} | ${
          run.seconds
        } | ${int(s.n)} | ${s.perSecond.toFixed(0)} | ${s.requests} | ${ms1(
          s.p50,
        )} | ${ms1(s.p90)} | **${ms1(s.p99)}** | ${ms1(s.max)} | ${
          run.failures
        } | ${
          cpu
            ? `${((cpu.backendS / cpu.wallS) * 100).toFixed(0)} % / ${(
                (cpu.postgresS / cpu.wallS) *
                100
              ).toFixed(0)} % / ${(
                ((run.clientCpuS * 1000) / run.wallMs) *
                100
              ).toFixed(0)} %`
            : '—'
        } | ${
          run === r.loaded && r.dueDuringLoad
            ? `${int(r.dueDuringLoad[0])} → ${int(r.dueDuringLoad[1])}`
            : '—'
        } |`,
      );
    }
  }
  return [
    '| setting | round | clients | seconds | who-owns done | who-owns/s | requests per who-owns | p50 (ms) | p90 (ms) | p99 (ms) | max (ms) | failures | CPU backend / PostgreSQL / clients (% of one core) | entities due for processing, start → end |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...rows,
  ].join('\n');
}

export function orgLine(org: Org, perFile: number, bytes: number): string {
  const c = org.counts;
  const kinds = [
    [c.Group, 'Groups'],
    [c.User, 'Users'],
    [c.Component, 'Components'],
    [c.API, 'APIs'],
    [c.SLO, `SLOs (from ${int(org.sloFiles.size)} OpenSLO files)`],
    [c.System, 'Systems'],
    [c.Domain, 'Domains'],
    [c.Resource, 'on-call schedule Resources'],
  ] as const;
  return `${int(org.total)} entities: ${kinds
    .map(([n, what]) => `${int(n ?? 0)} ${what}`)
    .join(', ')}; ${int(org.entities.length)} of them in ${int(
    Math.ceil(org.entities.length / perFile),
  )} location files of ${perFile} (${(bytes / 1024 / 1024).toFixed(
    1,
  )} MB of YAML), the SLOs made by Paver's SLO processor from the files beside them; ${int(
    org.declaredRelations,
  )} relations declared.`;
}

export function summaryLines(results: SettingResult[]): string[] {
  const lines: string[] = [];
  const rate = (id: string) =>
    results
      .filter(r => r.setting.id === id)
      .map(r => entitiesPerSecond(r.ingest))
      .filter((x): x is number => x !== undefined);
  const stock = rate('stock');
  const paver = rate('paver');
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  if (stock.length && paver.length) {
    const ratio = mean(paver) / mean(stock);
    lines.push(
      `Ingestion: Paver ${mean(paver).toFixed(0)} entities/s, stock ${mean(
        stock,
      ).toFixed(0)} entities/s: **${ratio.toFixed(
        2,
      )}× stock** (targets: ≥ 1,000 entities/s ${
        mean(paver) >= 1000 ? 'met' : 'not met'
      }; ≥ 3× stock ${ratio >= 3 ? 'met' : 'not met'}).`,
    );
  } else {
    const ran = (id: string) => results.some(r => r.setting.id === id);
    const say = (label: string, id: string, rates: number[]) =>
      rates.length
        ? `${label} ${mean(rates).toFixed(0)} entities/s`
        : `${label} ${ran(id) ? 'did not finish' : 'not run'}`;
    lines.push(
      `Ingestion: ${say('Paver', 'paver', paver)}, ${say(
        'stock',
        'stock',
        stock,
      )} (no ratio without both).`,
    );
  }
  const diagnostic = rate('diagnostic');
  if (diagnostic.length && paver.length)
    lines.push(
      `Diagnostic: without Paver's on-call rules processor ${mean(
        diagnostic,
      ).toFixed(0)} entities/s, ${(mean(diagnostic) / mean(paver)).toFixed(
        2,
      )}× Paver's settings with it.`,
    );
  for (const r of results) {
    if (!r.loaded) continue;
    const s = summarise(r.loaded);
    lines.push(
      `who-owns, ${r.setting.label} (round ${r.round}), ${
        r.loaded.clients
      } clients: p50 ${ms1(s.p50)} ms, p99 ${ms1(
        s.p99,
      )} ms (target p99 < 20 ms: ${s.p99 < 20 ? 'met' : 'not met'}).`,
    );
  }
  return lines;
}

export function progressLines(results: SettingResult[]): string[] {
  return results.map(
    r =>
      `- ${r.setting.label}, round ${r.round}: ${progress(r.ingest)}.${
        r.ingest.errors.length
          ? ` Errors, e.g.: ${r.ingest.errors
              .map(e => e.replace(/\|/g, '/'))
              .join('; ')}`
          : ''
      }`,
  );
}

export function checkLines(results: SettingResult[]): string[] {
  return results.flatMap(r =>
    r.checks.map(
      c =>
        `- ${r.setting.label}: who-owns ${c.name}: owner ${c.owner}, ${
          c.members
        } members, on call now ${c.onCallNow}, ${
          c.escalationLevels
        } escalation levels, system ${c.system}, depends on ${
          c.dependsOn
        }, depended on by ${c.dependedOnBy}, slo ${c.slo ?? 'none'}${
          c.problem ? `, problem: ${c.problem}` : ''
        }`,
    ),
  );
}
