// What the benches that boot the real backend (create, catalog) share: its database override for
// a throwaway PostgreSQL cluster, the machine facts and load average printed beside their figures,
// and where a run's raw report goes (bench/<name>/.runs; the RESULTS.md block is ../results).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ThrowawayPostgres } from '@paver/test-utils';

export const sleep = (ms: number) => new Promise<void>(r => setTimeout(r, ms));

/** The override that points the backend's database at a throwaway cluster. */
export function postgresConfig(pg: ThrowawayPostgres) {
  const { host, port, user, password } = pg;
  return {
    backend: {
      database: { client: 'pg', connection: { host, port, user, password } },
    },
  };
}

/**
 * The 1, 5 and 15 minute load averages, "0.52 / 0.61 / 0.70": logged at each phase's edges, since
 * another job on the machine moves the figures more than most changes do.
 */
export function loadAverage(): string {
  return os
    .loadavg()
    .map(l => l.toFixed(2))
    .join(' / ');
}

/** "8 × <CPU model>, Node v22…": what a report's first line says the figures were taken on. */
export function machine(): string {
  return `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'unknown CPU'}, Node ${
    process.version
  }`;
}

/**
 * Keeps every run's report, git-ignored, as `<benchDir>/.runs/<timestamp><suffix>.md`: the raw
 * figures behind a RESULTS.md, and those of the runs that never made it there.
 */
export function saveRunReport(benchDir: string, text: string, suffix = '') {
  const runs = path.join(benchDir, '.runs');
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  fs.mkdirSync(runs, { recursive: true });
  fs.writeFileSync(path.join(runs, `${stamp}${suffix}.md`), text);
}
