// Synthesis benchmark: N = 1, 10, 100 services, deep imports (ours) against barrel imports (stock),
// each N in a fresh node process, from compiled JS. Run from the repository root:
//   ./paverw node bench/synth/bench.cjs [runs=3]
// Prints a Markdown table of medians (wall time of the whole process, peak RSS).
const { execFileSync, spawnSync } = require('node:child_process');
const { mkdtempSync, rmSync } = require('node:fs');
const { tmpdir, cpus } = require('node:os');
const path = require('node:path');

const root = path.resolve(__dirname, '../..');
const runs = Number(process.argv[2] ?? 3);
const median = values =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

execFileSync(process.execPath, [
  require.resolve('typescript/bin/tsc', { paths: [root] }),
  '-p',
  path.join(root, 'cdktf/tsconfig.build.json'),
]);

function measure(style, services) {
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

const rows = [];
for (const services of [1, 10, 100]) {
  for (const style of ['deep', 'barrel']) {
    const samples = Array.from({ length: runs }, () =>
      measure(style, services),
    );
    rows.push({
      services,
      style,
      wallS: median(samples.map(s => s.wallS)),
      rssMb: median(samples.map(s => s.maxRssMb)),
    });
  }
}
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
