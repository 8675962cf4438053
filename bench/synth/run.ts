// Synthesis benchmark: N = 1, 10, 100 services, deep imports (ours) against barrel imports (stock),
// each N in a fresh node process, from compiled JS. Run from the repository root:
//   ./paverw yarn tsx bench/synth/run.ts [--runs 3]
//   ./paverw yarn tsx bench/synth/run.ts --smoke    one run of 1 service each (run by ./paverw test)
// Prints a Markdown table of medians (wall time of the whole process, peak RSS). Each sample runs
// run-one.cjs under plain node, so the figures hold no transpiler cost.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import path from 'node:path';
import { flag, numberArg } from '../args';
import { median } from '../stats';

const root = path.resolve(__dirname, '../..');
const SMOKE = flag('smoke');
const runs = SMOKE ? 1 : numberArg('runs', 3);
const serviceCounts = SMOKE ? [1] : [1, 10, 100];

interface Sample {
  wallS: number;
  maxRssMb: number;
}

function measure(style: 'deep' | 'barrel', services: number): Sample {
  const outdir = mkdtempSync(path.join(tmpdir(), 'paver-bench-synth-'));
  try {
    const started = process.hrtime.bigint();
    const child = spawnSync(
      process.execPath,
      [path.join(__dirname, 'run-one.cjs'), style, String(services), outdir],
      { encoding: 'utf8' },
    );
    const wallS = Number(process.hrtime.bigint() - started) / 1e9;
    if (child.status !== 0)
      throw new Error(`${style} ${services}: ${child.stderr}`);
    return { wallS, ...JSON.parse(child.stdout) };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

execFileSync(process.execPath, [
  require.resolve('typescript/bin/tsc', { paths: [root] }),
  '-p',
  path.join(root, 'cdktf/tsconfig.build.json'),
]);

const rows = serviceCounts.flatMap(services =>
  (['deep', 'barrel'] as const).map(style => {
    const samples = Array.from({ length: runs }, () =>
      measure(style, services),
    );
    return {
      services,
      style,
      wallS: median(samples.map(s => s.wallS)),
      rssMb: median(samples.map(s => s.maxRssMb)),
    };
  }),
);
console.log(
  `node ${process.version}, ${cpus().length} cores (${
    cpus()[0].model
  }), median of ${runs} runs\n`,
);
console.log(
  '| services | imports | wall (s) | peak RSS (MB) |\n|---:|---|---:|---:|',
);
for (const r of rows)
  console.log(
    `| ${r.services} | ${r.style} | ${r.wallS.toFixed(2)} | ${r.rssMb.toFixed(
      0,
    )} |`,
  );
