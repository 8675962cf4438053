// Start-up benchmark: Paver's backend (packages/backend) side by side with a stock
// `@backstage/create-app@0.9.2` backend of the same Backstage version, default plugins.
// Run from the repository root:
//   ./paverw yarn tsx bench/startup/run.ts                 prepare stock once, 5 measured runs each
//   ./paverw yarn tsx bench/startup/run.ts --runs 7        more runs
//   ./paverw yarn tsx bench/startup/run.ts --write         also rewrite the table in RESULTS.md
// Other flags: --warmup N (unmeasured runs per side first, default 1), --settle MS (wait after
// readiness before reading /proc, default 2000), --prepare-only.
//   ./paverw yarn tsx bench/startup/run.ts --smoke         one start of Paver's side only, run by
//                                                          ./paverw test (preparing stock takes minutes)
//
// Both backends start the way `backstage-cli package start` starts them (dev transform):
//   node --enable-source-maps --require <their own @backstage/cli-node/config/nodeTransform.cjs>
//        src/index.ts --config app-config.yaml --config <override>
// with cwd packages/backend, on a free port, SQLite in memory, a fresh process each run. We time
// from spawn to the first 200 from /.backstage/health/v1/readiness, then read VmRSS and VmHWM from
// /proc/<pid>/status `--settle` ms later. Runs alternate (paver, stock, stock, paver, ...) so that
// load from other work on the machine falls on both sides alike.
//
// The stock app lives in bench/.stock/stock (git-ignored); preparing it is the first run's job:
// create-app --skip-install, Paver's `resolutions` copied in (the registry mirror lacks some
// platform packages), yarn install under Node 22, and a frontend build so that app-backend has a
// dist to serve on both sides, as it does in Paver.
import { spawn, spawnSync, type SpawnSyncOptions } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { stripVTControlCharacters } from 'node:util';
import { flag, numberArg } from '../args';
import { loadAverage, sleep } from '../backendBench';
import { median } from '../stats';

const repoRoot = path.resolve(__dirname, '../..');
const stockRoot = path.join(repoRoot, 'bench/.stock');
const stockApp = path.join(stockRoot, 'stock');
const logDir = path.join(stockRoot, 'logs');
const resultsFile = path.join(__dirname, 'RESULTS.md');
const paverStatic = path.join(repoRoot, 'packages/app/dist/static');
const stockStatic = path.join(stockApp, 'packages/app/dist/static');
const stockStaticOff = `${stockStatic}.bench-off`;
const CREATE_APP = '@backstage/create-app@0.9.2';
const YARN_RELEASE = path.join(repoRoot, '.yarn/releases/yarn-4.13.0.cjs');

// ---------------------------------------------------------------------------------------------
// arguments

const RUNS = numberArg('runs', 5);
const WARMUP = numberArg('warmup', 1);
const SETTLE_MS = numberArg('settle', 2000);
const READY_TIMEOUT_MS = 180_000;

const step = (msg: string) => console.log(`\x1b[1m[startup]\x1b[0m ${msg}`);

// ---------------------------------------------------------------------------------------------
// tools: Node 22 and Yarn 4 without a global install

const nodeBin = process.execPath;
const nodeMajor = Number(process.versions.node.split('.')[0]);
if (nodeMajor < 22) {
  throw new Error(
    `Node ${process.versions.node}: run through ./paverw so Node 22 is used`,
  );
}
const nodeDir = path.resolve(path.dirname(nodeBin), '..');

/** PATH with our Node first and a `yarn` shim (create-app checks `yarn -v` before anything else). */
function toolEnv(): NodeJS.ProcessEnv {
  const shimDir = path.join(stockRoot, 'shim');
  fs.mkdirSync(shimDir, { recursive: true });
  const shim = path.join(shimDir, 'yarn');
  fs.writeFileSync(
    shim,
    `#!/bin/sh\nexec "${nodeBin}" "${YARN_RELEASE}" "$@"\n`,
    { mode: 0o755 },
  );
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PATH: `${shimDir}:${path.dirname(nodeBin)}:${process.env.PATH}`,
    YARN_ENABLE_PROGRESS_BARS: 'false',
    YARN_ENABLE_TELEMETRY: '0',
  };
  // node-gyp (better-sqlite3) cannot download headers here; the Node package carries them.
  if (fs.existsSync(path.join(nodeDir, 'include/node')))
    env.npm_config_nodedir = nodeDir;
  // We are run by the repo's own yarn; don't let its workspace state leak into the stock app's.
  for (const key of Object.keys(env)) {
    if (
      key.startsWith('npm_package_') ||
      key === 'INIT_CWD' ||
      key === 'PROJECT_CWD'
    )
      delete env[key];
    if (key.startsWith('BERRY_') || key === 'YARN_IGNORE_PATH') delete env[key];
  }
  return env;
}

function run(
  cmd: string,
  args: string[],
  opts: SpawnSyncOptions & { what: string },
) {
  const started = performance.now();
  const res = spawnSync(cmd, args, { stdio: 'inherit', ...opts });
  const secs = ((performance.now() - started) / 1000).toFixed(0);
  if (res.status !== 0) {
    throw new Error(
      `${opts.what} failed (exit ${res.status ?? res.signal}) after ${secs} s`,
    );
  }
  step(`${opts.what}: done in ${secs} s`);
  return res;
}

// ---------------------------------------------------------------------------------------------
// preparing the stock app (cached in bench/.stock)

function prepareStock() {
  fs.mkdirSync(stockRoot, { recursive: true });
  const env = toolEnv();

  if (!fs.existsSync(path.join(stockApp, 'packages/backend/src/index.ts'))) {
    fs.rmSync(stockApp, { recursive: true, force: true });
    step(
      `creating the stock app with npx -y ${CREATE_APP} --skip-install in bench/.stock/stock`,
    );
    run('npx', ['-y', CREATE_APP, '--skip-install'], {
      what: 'create-app',
      cwd: stockRoot,
      env: { ...env, BACKSTAGE_APP_NAME: 'stock' },
      input: 'stock\n',
      stdio: ['pipe', 'inherit', 'inherit'],
    });
  } else {
    step('stock app already created (bench/.stock/stock)');
  }

  // The registry mirror lacks some platform-specific packages: the same pins as Paver's root.
  const pkgFile = path.join(stockApp, 'package.json');
  const pkg = JSON.parse(fs.readFileSync(pkgFile, 'utf8'));
  const ours = JSON.parse(
    fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8'),
  );
  const pins = registryPins(ours.resolutions ?? {});
  const merged = { ...registryPins(pkg.resolutions ?? {}), ...pins };
  if (JSON.stringify(merged) !== JSON.stringify(pkg.resolutions)) {
    pkg.resolutions = merged;
    fs.writeFileSync(pkgFile, `${JSON.stringify(pkg, null, 2)}\n`);
    step(
      `copied Paver's registry pins into the stock package.json: ${Object.keys(
        pins,
      ).join(', ')}`,
    );
  } else {
    step("stock package.json already has Paver's resolutions");
  }

  const stockYarn = fs
    .readdirSync(path.join(stockApp, '.yarn/releases'))
    .find(f => /^yarn-.*\.cjs$/.test(f));
  if (!stockYarn) throw new Error('stock app has no .yarn/releases/yarn-*.cjs');
  const yarn = (args: string[], what: string, cwd = stockApp) =>
    run(nodeBin, [path.join(stockApp, '.yarn/releases', stockYarn), ...args], {
      what,
      cwd,
      env,
    });

  seedStockLockfile();
  const stamp = path.join(stockApp, 'node_modules/.bench-install-stamp');
  const want = `${process.version}\n${fs.readFileSync(pkgFile, 'utf8')}`;
  if (!fs.existsSync(stamp) || fs.readFileSync(stamp, 'utf8') !== want) {
    step(
      `installing the stock app with Yarn (${stockYarn}, Node ${process.version}); a few minutes cold`,
    );
    installWithPins(path.join(stockApp, '.yarn/releases', stockYarn), env);
    fs.writeFileSync(
      stamp,
      `${process.version}\n${fs.readFileSync(pkgFile, 'utf8')}`,
    );
  } else {
    step('stock app already installed');
  }

  // app-backend serves packages/app/dist only when dist/static exists (and then injects config and
  // fills its static-asset cache in the database at start-up). Paver's dist comes and goes with
  // other people's builds, so stock gets a build too, switched on or off to match Paver's each run.
  if (!fs.existsSync(stockStatic) && !fs.existsSync(stockStaticOff)) {
    step(
      "building the stock frontend (packages/app/dist), so its app-backend can serve it like Paver's",
    );
    yarn(['workspace', 'app', 'build'], 'stock frontend build');
  } else {
    step('stock frontend already built');
  }
}

/**
 * create-app ships no lockfile, so a cold stock install takes the newest release of every range,
 * and the ranges drift apart: in December 2026 it took plugin-signals-backend 0.3.21, which calls
 * an httpRouter method the backend-defaults 0.18.0 it also took does not have, and stock no longer
 * started. Seeding the install with Paver's yarn.lock resolves every package the two apps share to
 * the versions of the same Backstage release (1.55) that Paver runs; yarn adds what only stock
 * uses and drops the rest. Stock's code stays stock: no patch or resolution of Paver's is applied.
 */
function seedStockLockfile() {
  const seeded = path.join(stockApp, '.bench-lockfile-seeded');
  if (fs.existsSync(seeded)) return;
  fs.copyFileSync(
    path.join(repoRoot, 'yarn.lock'),
    path.join(stockApp, 'yarn.lock'),
  );
  fs.rmSync(path.join(stockApp, 'node_modules/.bench-install-stamp'), {
    force: true,
  });
  fs.writeFileSync(seeded, "yarn.lock seeded from Paver's\n");
  step(
    "seeded the stock install with Paver's yarn.lock (same Backstage release)",
  );
}

/**
 * Paver's pins are not always enough: stock pulls in packages Paver does not (jest 30 brings
 * unrs-resolver), and the mirror may lack their newest platform binaries. On `YN0082 NAME@npm:V:
 * No candidates found` pin the parent whose platform packages are versioned in lockstep with it
 * (or the package itself) to the newest version the registry has, and install again.
 */
function installWithPins(yarnRelease: string, env: NodeJS.ProcessEnv) {
  const lockstep: [RegExp, string][] = [
    [/^@unrs\/resolver-binding-/, 'unrs-resolver'],
    [/^@swc\/core-/, '@swc/core'],
    [/^@rollup\/rollup-/, 'rollup'],
  ];
  const pkgFile = path.join(stockApp, 'package.json');
  for (let round = 1; round <= 8; round++) {
    const started = performance.now();
    const res = spawnSync(nodeBin, [yarnRelease, 'install'], {
      cwd: stockApp,
      env,
      encoding: 'utf8',
      maxBuffer: 1 << 28,
    });
    const out = `${res.stdout}${res.stderr}`;
    process.stdout.write(
      out
        .split('\n')
        .filter(l => !/YN0013|YN0000: │/.test(l))
        .join('\n'),
    );
    const secs = ((performance.now() - started) / 1000).toFixed(0);
    if (res.status === 0) {
      step(`stock yarn install: done in ${secs} s`);
      return;
    }
    const missing = [
      ...out.matchAll(/YN0082: │ (@?[^@\s]+)@npm:\S+: No candidates found/g),
    ].map(m => m[1]);
    if (missing.length === 0)
      throw new Error(
        `stock yarn install failed (exit ${res.status}) after ${secs} s`,
      );
    const pkg = JSON.parse(fs.readFileSync(pkgFile, 'utf8'));
    for (const name of new Set(missing)) {
      const latest = spawnSync('npm', ['view', name, 'version'], {
        encoding: 'utf8',
        env,
      }).stdout.trim();
      if (!latest)
        throw new Error(`the registry has no version of ${name} at all`);
      const pin = lockstep.find(([re]) => re.test(name))?.[1] ?? name;
      if (pkg.resolutions[pin] === latest)
        throw new Error(`${pin} already pinned to ${latest} and still YN0082`);
      pkg.resolutions[pin] = latest;
      step(
        `YN0082 for ${name}: pinning ${pin} to ${latest} (newest ${name} on the registry)`,
      );
    }
    fs.writeFileSync(pkgFile, `${JSON.stringify(pkg, null, 2)}\n`);
  }
  throw new Error('stock yarn install still fails after 8 rounds of pins');
}

// ---------------------------------------------------------------------------------------------
// one measured start

interface Target {
  name: 'paver' | 'stock';
  label: string;
  backendDir: string;
  /** The repository's root app-config.yaml, which `backstage-cli package start` loads. */
  appConfig: string;
  transform: string;
  /** Extra config for this target, merged over the common override. */
  override(tmp: string, port: number): Record<string, unknown>;
  env: Record<string, string>;
}

interface Sample {
  /** Spawn to the "Listening on" log line: config, module loading and transform, before plugins init. */
  listenMs: number;
  /** VmRSS when "Listening on" was printed: what loading the code cost, before plugins initialise. */
  rssAtListenMb: number;
  readyMs: number;
  rssMb: number;
  hwmMb: number;
  plugins: string[];
  /** Whether app-backend had a built frontend (dist/static) to serve in this run. */
  frontend: boolean;
}

function targets(): Target[] {
  const resolveTransform = (backendDir: string) =>
    require.resolve('@backstage/cli-node/config/nodeTransform.cjs', {
      paths: [backendDir],
    });
  const paverBackend = path.join(repoRoot, 'packages/backend');
  const stockBackend = path.join(stockApp, 'packages/backend');
  return [
    {
      name: 'paver',
      label: 'Paver (packages/backend)',
      backendDir: paverBackend,
      appConfig: path.join(repoRoot, 'app-config.yaml'),
      transform: resolveTransform(paverBackend),
      // New services' bare repositories go to a fresh folder, not the developer's .paver-data.
      override: tmp => ({
        paver: {
          publish: { local: { dataDir: path.join(tmp, 'paver-data') } },
        },
      }),
      env: {},
    },
    {
      name: 'stock',
      label: 'stock create-app 0.9.2',
      backendDir: stockBackend,
      appConfig: path.join(stockApp, 'app-config.yaml'),
      transform: resolveTransform(stockBackend),
      override: () => ({}),
      // Stock's integrations.github reads ${GITHUB_TOKEN}; nothing calls GitHub during start-up.
      env: { GITHUB_TOKEN: 'bench-dummy-token' },
    },
  ];
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

function procStatus(pid: number): { rssMb: number; hwmMb: number } {
  const text = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string) => {
    const m = new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(text);
    if (!m) throw new Error(`no ${key} in /proc/${pid}/status`);
    return Number(m[1]) / 1024;
  };
  return { rssMb: kb('VmRSS'), hwmMb: kb('VmHWM') };
}

/** Stock serves a frontend exactly when Paver's dist/static exists right now. */
function frontendFor(target: Target): boolean {
  const paverHas = fs.existsSync(paverStatic);
  if (target.name === 'stock') {
    if (paverHas && !fs.existsSync(stockStatic))
      fs.renameSync(stockStaticOff, stockStatic);
    if (!paverHas && fs.existsSync(stockStatic))
      fs.renameSync(stockStatic, stockStaticOff);
    return fs.existsSync(stockStatic);
  }
  return paverHas;
}

async function startOnce(target: Target, tag: string): Promise<Sample> {
  const frontend = frontendFor(target);
  const port = await freePort();
  const baseUrl = `http://localhost:${port}`;
  const tmp = fs.mkdtempSync(
    path.join(os.tmpdir(), `bench-startup-${target.name}-`),
  );
  const override = deepMerge(
    {
      app: { baseUrl },
      backend: {
        baseUrl,
        listen: { port },
        database: { client: 'better-sqlite3', connection: ':memory:' },
      },
    },
    target.override(tmp, port),
  );
  const overrideFile = path.join(tmp, 'app-config.bench.yaml');
  fs.writeFileSync(overrideFile, JSON.stringify(override, null, 2)); // JSON is YAML
  fs.mkdirSync(logDir, { recursive: true });
  const logFile = path.join(logDir, `${target.name}-${tag}.log`);
  const log = fs.createWriteStream(logFile);

  const started = performance.now();
  const child = spawn(
    nodeBin,
    [
      '--enable-source-maps',
      '--require',
      target.transform,
      'src/index.ts',
      '--config',
      target.appConfig,
      '--config',
      overrideFile,
    ],
    {
      cwd: target.backendDir,
      env: { ...process.env, NODE_ENV: 'development', ...target.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let listenMs: number | undefined;
  let rssAtListenMb = NaN;
  let tail = '';
  const onData = (d: Buffer) => {
    log.write(d);
    if (listenMs === undefined) {
      tail = (tail + d.toString()).slice(-4096);
      if (/Listening on/.test(tail)) {
        listenMs = performance.now() - started;
        try {
          rssAtListenMb = procStatus(child.pid!).rssMb;
        } catch {
          // exited already; reported below
        }
      }
    }
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  let exited: number | string | null | undefined;
  const exit = new Promise<void>(res =>
    child.once('exit', (code, signal) => {
      exited = code ?? signal;
      res();
    }),
  );

  try {
    let readyMs: number | undefined;
    while (readyMs === undefined) {
      if (exited !== undefined)
        throw new Error(
          `${target.name} exited (${exited}) before ready; see ${logFile}`,
        );
      if (performance.now() - started > READY_TIMEOUT_MS)
        throw new Error(`${target.name} not ready; see ${logFile}`);
      try {
        const res = await fetch(`${baseUrl}/.backstage/health/v1/readiness`, {
          signal: AbortSignal.timeout(2000),
        });
        await res.arrayBuffer();
        if (res.status === 200) readyMs = performance.now() - started;
      } catch {
        // not listening yet
      }
      if (readyMs === undefined) await sleep(100);
    }
    await sleep(SETTLE_MS);
    if (exited !== undefined)
      throw new Error(
        `${target.name} exited (${exited}) after ready; see ${logFile}`,
      );
    const mem = procStatus(child.pid!);
    const text = await new Promise<string>(res =>
      log.write('', () => res(fs.readFileSync(logFile, 'utf8'))),
    );
    return {
      listenMs: listenMs ?? NaN,
      rssAtListenMb,
      readyMs,
      ...mem,
      plugins: pluginsFromLog(text),
      frontend,
    };
  } finally {
    if (exited === undefined) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exit;
      clearTimeout(timer);
    }
    await new Promise(res => log.end(res));
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

/** Backstage logs "Plugin initialization started: 'app', 'auth', ..." once at start-up. */
function pluginsFromLog(text: string): string[] {
  const plain = stripVTControlCharacters(text);
  const m = /Plugin initialization started: (.*)/.exec(plain);
  if (!m) return [];
  return [...m[1].matchAll(/'([^']+)'/g)].map(x => x[1]).sort();
}

function deepMerge(
  a: Record<string, any>,
  b: Record<string, any>,
): Record<string, any> {
  const out = { ...a };
  for (const [k, v] of Object.entries(b)) {
    out[k] =
      v &&
      typeof v === 'object' &&
      !Array.isArray(v) &&
      out[k] &&
      typeof out[k] === 'object'
        ? deepMerge(out[k], v)
        : v;
  }
  return out;
}

/** The backend modules each side adds in src/index.ts, in order. */
function featuresOf(target: Target): string[] {
  const src = fs.readFileSync(
    path.join(target.backendDir, 'src/index.ts'),
    'utf8',
  );
  return [
    ...src.matchAll(
      /backend\.add\(\s*(?:import\('([^']+)'\)|(\w+))\s*,?\s*\)/g,
    ),
  ].map(m => m[1] ?? `${m[2]} (local module)`);
}

// ---------------------------------------------------------------------------------------------
// statistics and report

const fmt = (xs: number[], unit: 's' | 'MB') => {
  const f = (x: number) =>
    unit === 's' ? (x / 1000).toFixed(1) : x.toFixed(0);
  return `${f(median(xs))} (${f(Math.min(...xs))}–${f(Math.max(...xs))})`;
};

function report(
  samples: Record<string, Sample[]>,
  meta: Record<string, string>,
): string {
  const p = samples.paver;
  const s = samples.stock;
  const ratio = (f: (x: Sample) => number) =>
    `${((median(p.map(f)) / median(s.map(f))) * 100).toFixed(0)} %`;
  const row = (label: string, xs: Sample[]) =>
    `| ${label} | ${xs.length} | ${fmt(
      xs.map(x => x.readyMs),
      's',
    )} | ${fmt(
      xs.map(x => x.listenMs),
      's',
    )} | ${fmt(
      xs.map(x => x.rssAtListenMb),
      'MB',
    )} | ${fmt(
      xs.map(x => x.rssMb),
      'MB',
    )} | ${fmt(
      xs.map(x => x.hwmMb),
      'MB',
    )} |`;
  return [
    `Date: ${meta.date}. Machine: ${meta.machine}. Node ${process.version}.`,
    `Runs: ${meta.runs} measured per side after ${WARMUP} warm-up start(s) per side, alternating order; RSS read ${SETTLE_MS} ms after readiness. Load average (1, 5, 15 min) at start: ${meta.loadStart}; at end: ${meta.loadEnd}.`,
    '',
    '| backend | runs | ready s, median (min–max) | of which to "Listening on" s | RSS at "Listening on" MB | RSS after ready MB, median (min–max) | peak RSS (VmHWM) MB, median (min–max) |',
    '|---|---:|---:|---:|---:|---:|---:|',
    row('Paver (packages/backend)', p),
    row('stock create-app 0.9.2', s),
    `| **Paver / stock (medians)** | | **${ratio(x => x.readyMs)}** | ${ratio(
      x => x.listenMs,
    )} | ${ratio(x => x.rssAtListenMb)} | **${ratio(
      x => x.rssMb,
    )}** | **${ratio(x => x.hwmMb)}** |`,
    '',
    `app-backend served a built frontend in ${
      [...p, ...s].filter(x => x.frontend).length
    } of ${
      p.length + s.length
    } runs (stock mirrors Paver's packages/app/dist/static at each start).`,
    '',
    'Every run, in order (ready s / listening s / RSS MB / peak MB):',
    '',
    ...(['paver', 'stock'] as const).map(
      n =>
        `- ${n}: ${samples[n]
          .map(
            x =>
              `${(x.readyMs / 1000).toFixed(1)}/${(x.listenMs / 1000).toFixed(
                1,
              )}/${x.rssMb.toFixed(0)}/${x.hwmMb.toFixed(0)}${
                x.frontend ? ' (frontend served)' : ''
              }`,
          )
          .join(', ')}`,
    ),
  ].join('\n');
}

// ---------------------------------------------------------------------------------------------

/**
 * The resolutions that only pin a registry version. Paver's `patch:` resolutions change Backstage
 * itself (and name patch files only this repository has): the stock side must stay stock.
 */
export function registryPins(
  resolutions: Record<string, string>,
): Record<string, string> {
  return Object.fromEntries(
    Object.entries(resolutions).filter(
      ([, range]) => !range.startsWith('patch:'),
    ),
  );
}

/** One start of Paver's backend through the bench's own path: proves the bench still runs. */
async function smoke() {
  const paver = targets().find(t => t.name === 'paver')!;
  const x = await startOnce(paver, 'smoke');
  step(
    `smoke: Paver ready in ${(x.readyMs / 1000).toFixed(
      1,
    )} s, RSS ${x.rssMb.toFixed(0)} MB; ${
      x.plugins.length
    } plugins in its log (stock side not prepared: run without --smoke)`,
  );
  if (x.plugins.length === 0)
    throw new Error('smoke: no plugin start found in the log');
}

async function main(): Promise<void> {
  if (flag('smoke')) {
    await smoke();
    return;
  }
  step(`preparing the stock app (${CREATE_APP}) in bench/.stock`);
  prepareStock();
  if (flag('prepare-only')) return;

  const all = targets();
  for (const t of all) {
    step(
      `${t.label}: ${
        featuresOf(t).length
      } features in src/index.ts, transform ${path.relative(
        repoRoot,
        t.transform,
      )}`,
    );
  }
  const loadStart = loadAverage();
  const samples: Record<string, Sample[]> = { paver: [], stock: [] };
  const plugins: Record<string, string[]> = {};

  for (let w = 0; w < WARMUP; w++) {
    for (const t of w % 2 ? [...all].reverse() : all) {
      step(`warm-up ${w + 1}/${WARMUP}: ${t.name}`);
      const x = await startOnce(t, `warmup-${w + 1}`);
      step(
        `  ${t.name}: ready in ${(x.readyMs / 1000).toFixed(
          1,
        )} s, RSS ${x.rssMb.toFixed(0)} MB (not counted)`,
      );
    }
  }
  for (let r = 0; r < RUNS; r++) {
    // paver, stock, then stock, paver: neither side always goes first.
    for (const t of r % 2 ? [...all].reverse() : all) {
      const x = await startOnce(t, `run-${r + 1}`);
      samples[t.name].push(x);
      plugins[t.name] = x.plugins;
      step(
        `run ${r + 1}/${RUNS} ${t.name}: ready in ${(x.readyMs / 1000).toFixed(
          1,
        )} s (listening at ${(x.listenMs / 1000).toFixed(
          1,
        )} s), RSS ${x.rssMb.toFixed(0)} MB, peak ${x.hwmMb.toFixed(0)} MB${
          x.frontend ? ', frontend served' : ''
        } (load ${os.loadavg()[0].toFixed(1)})`,
      );
      await sleep(1000);
    }
  }

  const cpus = os.cpus();
  const meta = {
    date: new Date().toISOString().slice(0, 10),
    machine: `${cpus.length} cores (${cpus[0]?.model.trim()}), ${(
      os.totalmem() /
      2 ** 30
    ).toFixed(0)} GiB, shared with other work`,
    runs: String(RUNS),
    loadStart,
    loadEnd: loadAverage(),
  };
  const table = report(samples, meta);
  console.log(`\n${table}\n`);
  for (const t of all) {
    console.log(
      `${t.name} plugins started (from its log): ${
        plugins[t.name].join(', ') || '(not found in log)'
      }`,
    );
  }
  const json = {
    meta,
    samples,
    plugins,
    features: Object.fromEntries(all.map(t => [t.name, featuresOf(t)])),
  };
  fs.writeFileSync(
    path.join(stockRoot, 'last-results.json'),
    JSON.stringify(json, null, 2),
  );

  if (flag('write')) {
    const begin = '<!-- results:begin -->';
    const end = '<!-- results:end -->';
    const current = fs.existsSync(resultsFile)
      ? fs.readFileSync(resultsFile, 'utf8')
      : `${begin}\n${end}\n`;
    const i = current.indexOf(begin);
    const j = current.indexOf(end);
    if (i < 0 || j < 0)
      throw new Error(`RESULTS.md lacks ${begin} / ${end} markers`);
    fs.writeFileSync(
      resultsFile,
      `${current.slice(0, i + begin.length)}\n${table}\n${current.slice(j)}`,
    );
    step('rewrote the table in bench/startup/RESULTS.md');
  }
}

main().catch(err => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
