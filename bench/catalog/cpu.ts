// CPU time of the backend process and of the PostgreSQL server (postmaster and its backends), from
// /proc, so the report can say which of the two the 2 cores were spent on. Linux only; zeros
// elsewhere.
import fs from 'node:fs';

const TICKS_PER_S = 100; // USER_HZ on Linux

/** utime + stime (+ cutime + cstime with `children`) of one process, in seconds; 0 when gone. */
function cpuOf(pid: number, children = false): number {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // fields[0] is state (field 3); utime is field 14 → index 11.
    const [utime, stime, cutime, cstime] = fields.slice(11, 15).map(Number);
    return (utime + stime + (children ? cutime + cstime : 0)) / TICKS_PER_S;
  } catch {
    return 0;
  }
}

function ppidOf(pid: number): number | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return undefined;
  }
}

/** The postmaster listening on `port`: the postgres process whose command line names it. */
export function findPostmaster(port: number): number | undefined {
  if (!fs.existsSync('/proc')) return undefined;
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmd = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      if (/postgres/.test(cmd) && cmd.includes(`-p\0${port}`)) return +entry;
      if (/postgres/.test(cmd) && cmd.includes(`-p ${port}`)) return +entry;
    } catch {
      // gone
    }
  }
  return undefined;
}

/** CPU seconds of the postmaster, its exited children and its live ones. */
function postgresCpu(postmaster: number): number {
  let total = cpuOf(postmaster, true);
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    if (ppidOf(+entry) === postmaster) total += cpuOf(+entry);
  }
  return total;
}

export interface CpuMeter {
  /** CPU seconds of the backend and PostgreSQL since `start()` (or since the meter was made). */
  read(): { backendS: number; postgresS: number; wallS: number };
  start(): void;
}

export function cpuMeter(backendPid: number, pgPort: number): CpuMeter {
  const postmaster = findPostmaster(pgPort);
  const sample = () => ({
    backend: cpuOf(backendPid, true),
    postgres: postmaster ? postgresCpu(postmaster) : 0,
    at: performance.now(),
  });
  let base = sample();
  return {
    start() {
      base = sample();
    },
    read() {
      const now = sample();
      return {
        backendS: now.backend - base.backend,
        postgresS: now.postgres - base.postgres,
        wallS: (now.at - base.at) / 1000,
      };
    },
  };
}
