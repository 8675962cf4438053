import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { freePort, tempDir } from '@paver/test-utils';

// Debian's Prometheus (the prometheus package: /usr/bin/prometheus and promtool), started on a
// TSDB backfilled from OpenMetrics text, for tests that read what real rule evaluation records.

/** A running Prometheus and how to stop it. */
export interface RealPrometheus {
  baseUrl: string;
  /** The vector `promql` evaluates to now, as Prometheus' HTTP API answers it. */
  query(
    promql: string,
  ): Promise<{ metric: Record<string, string>; value: [number, string] }[]>;
  /** Stops Prometheus and waits for it to exit (it holds a lock in its data folder). */
  stop(): Promise<void>;
  /** What Prometheus logged, for a failing test's message. */
  log(): string;
}

/**
 * Writes `openMetrics` into TSDB blocks with `promtool tsdb create-blocks-from openmetrics` and
 * starts Prometheus on them with `rules` (a rule file) evaluated every second, on a free port.
 * Resolves once Prometheus is ready; the data folder is a test-utils temp folder.
 */
export async function startPrometheus(options: {
  openMetrics: string;
  rules: string;
}): Promise<RealPrometheus> {
  const dir = await tempDir('slo-prometheus-');
  fs.writeFileSync(path.join(dir, 'series.om'), options.openMetrics);
  fs.writeFileSync(path.join(dir, 'rules.yaml'), options.rules);
  fs.writeFileSync(
    path.join(dir, 'prometheus.yml'),
    'global:\n  evaluation_interval: 1s\nrule_files:\n  - rules.yaml\n',
  );
  backfill(dir, 'series.om', 'data');
  const port = await freePort();
  const logFile = path.join(dir, 'prometheus.log');
  const { child, exited } = await spawnPrometheus(dir, port, logFile);
  const prometheus = handle(`http://127.0.0.1:${port}`, child, exited, () =>
    fs.readFileSync(logFile, 'utf8'),
  );
  await waitUntilReady(prometheus, child);
  return prometheus;
}

/** promtool's blocks of the OpenMetrics file `input` in the folder `data`, both in `dir`. */
function backfill(dir: string, input: string, data: string) {
  // One block per month rather than the default two hours: 360 two-hour blocks for 30 days
  // take promtool a minute of fsyncs, one block a fraction of a second.
  run(
    'promtool',
    [
      'tsdb',
      'create-blocks-from',
      'openmetrics',
      '--quiet',
      '--max-block-duration=744h', // 31 days
      input,
      data,
    ],
    dir,
  );
}

/** Prometheus on `dir`'s prometheus.yml and data folder, logging to `logFile`, once started. */
async function spawnPrometheus(dir: string, port: number, logFile: string) {
  const log = fs.openSync(logFile, 'w');
  const child = spawn(
    'prometheus',
    [
      '--config.file=prometheus.yml',
      '--storage.tsdb.path=data',
      // The default retention is 15 days: Prometheus would delete the older half of the window.
      '--storage.tsdb.retention.time=60d',
      `--web.listen-address=127.0.0.1:${port}`,
    ],
    { cwd: dir, stdio: ['ignore', log, log] },
  );
  fs.closeSync(log);
  const exited = new Promise<void>(resolve =>
    child.on('exit', () => resolve()),
  );
  await new Promise<void>((resolve, reject) => {
    child.once('spawn', resolve);
    child.once('error', error =>
      reject(
        new Error(
          `prometheus could not run (install Debian's prometheus package): ${error.message}`,
        ),
      ),
    );
  });
  return { child, exited };
}

function handle(
  baseUrl: string,
  child: ChildProcess,
  exited: Promise<void>,
  log: () => string,
): RealPrometheus {
  return {
    baseUrl,
    log,
    async query(promql) {
      const response = await fetch(
        `${baseUrl}/api/v1/query?${new URLSearchParams({ query: promql })}`,
      );
      const body = await response.json();
      if (body.status !== 'success')
        throw new Error(`${promql}: ${body.error}`);
      return body.data.result;
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        await exited;
      }
    },
  };
}

async function waitUntilReady(prometheus: RealPrometheus, child: ChildProcess) {
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null) {
      throw new Error(`prometheus did not start:\n${prometheus.log()}`);
    }
    const ready = await fetch(`${prometheus.baseUrl}/-/ready`).then(
      r => r.ok,
      () => false,
    );
    if (ready) return;
    if (Date.now() > deadline) {
      await prometheus.stop();
      throw new Error(
        `prometheus was not ready within 20 s:\n${prometheus.log()}`,
      );
    }
    await new Promise(resolve => setTimeout(resolve, 100));
  }
}

function run(command: string, args: string[], cwd: string) {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8' });
  if (result.error) {
    throw new Error(
      `${command} could not run (install Debian's prometheus package): ${result.error.message}`,
    );
  }
  if (result.status !== 0) {
    throw new Error(
      `${command} ${args.join(' ')} failed:\n${result.stdout}${result.stderr}`,
    );
  }
}
