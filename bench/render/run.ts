// Render benchmark for the golden-path engine. Run from the repository root:
//   ./paverw yarn tsx bench/render/run.ts            print the table
//   ./paverw yarn tsx bench/render/run.ts --write    also rewrite bench/render/RESULTS.md
//   ./paverw yarn tsx bench/render/run.ts --smoke    3 renders each, fails if a template is skipped
//                                                    (run by ./paverw test so the bench cannot rot)
// Figures: cold (first render in this process: load + compile + render), fresh (load + first
// render of a new template object, after warm-up), warm (median of 50 cached renders) and
// uncached (median of 50 renders compiling every file again), per template with fixtures.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import {
  loadTemplate,
  parseAnswersYaml,
  renderToMemory,
} from '@paver/golden-path';
import { TEST_PLATFORM as platform } from '@paver/test-utils';
import { flag } from '../args';
import { median } from '../stats';
import { writeSyntheticTemplate } from './synthetic';

const SMOKE = flag('smoke');
const RUNS = SMOKE ? 3 : 50;
const WARMUP = SMOKE ? 1 : 10;
const repoRoot = path.resolve(__dirname, '../..');

interface Row {
  name: string;
  files: number;
  coldMs: number;
  freshMs: number;
  warmMs: number;
  uncachedMs: number;
}

function time(fn: () => void): number {
  const start = performance.now();
  fn();
  return performance.now() - start;
}

function bench(name: string, dir: string, answers: unknown): Row {
  let files = 0;
  const coldMs = time(() => {
    files = renderToMemory(loadTemplate(dir), answers, { platform }).size;
  });
  const template = loadTemplate(dir);
  for (let i = 0; i < WARMUP; i++) {
    renderToMemory(template, answers, { platform });
    renderToMemory(template, answers, { cache: false, platform });
  }
  const freshMs = median(
    Array.from({ length: 5 }, () =>
      time(() => renderToMemory(loadTemplate(dir), answers, { platform })),
    ),
  );
  const warm = Array.from({ length: RUNS }, () =>
    time(() => renderToMemory(template, answers, { platform })),
  );
  const uncached = Array.from({ length: RUNS }, () =>
    time(() => renderToMemory(template, answers, { cache: false, platform })),
  );
  return {
    name,
    files,
    coldMs,
    freshMs,
    warmMs: median(warm),
    uncachedMs: median(uncached),
  };
}

function candidates(): { name: string; dir: string; answersFile: string }[] {
  const root = path.join(repoRoot, 'templates');
  if (!fs.existsSync(root)) return [];
  return fs
    .readdirSync(root, { withFileTypes: true })
    .filter(
      e =>
        e.isDirectory() && !e.name.startsWith('_') && !e.name.startsWith('.'),
    )
    .map(e => ({
      name: e.name,
      dir: path.join(root, e.name),
      answersFile: path.join(root, e.name, 'fixtures', 'answers.yaml'),
    }))
    .sort((a, b) => (a.name < b.name ? -1 : 1));
}

function main() {
  const rows: Row[] = [];
  const skipped: string[] = [];
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'paver-bench-'));
  try {
    rows.push(
      bench(
        'synthetic-60 (generated, 60 files)',
        writeSyntheticTemplate(work),
        {
          name: 'billing-api',
          owner: 'group:default/payments',
          datastore: 'postgres',
        },
      ),
    );
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
  for (const c of candidates()) {
    if (!fs.existsSync(c.answersFile)) {
      skipped.push(`${c.name}: no fixtures/answers.yaml`);
      continue;
    }
    try {
      rows.push(
        bench(
          c.name,
          c.dir,
          parseAnswersYaml(fs.readFileSync(c.answersFile, 'utf8')),
        ),
      );
    } catch (error) {
      skipped.push(`${c.name}: ${(error as Error).message.split('\n')[0]}`);
    }
  }
  const report = format(rows, skipped);
  process.stdout.write(report);
  if (SMOKE && skipped.length > 0) {
    throw new Error(
      `smoke: ${skipped.length} template(s) could not be benched`,
    );
  }
  if (flag('write')) {
    fs.writeFileSync(path.join(__dirname, 'RESULTS.md'), results(report));
  }
}

function format(rows: Row[], skipped: string[]): string {
  const ms = (n: number) => n.toFixed(2);
  const lines = [
    `| template | files | cold ms | fresh ms | warm ms (median of ${RUNS}) | uncached ms (median of ${RUNS}) | cache speed-up |`,
    '|---|---:|---:|---:|---:|---:|---:|',
    ...rows.map(
      r =>
        `| ${r.name} | ${r.files} | ${ms(r.coldMs)} | ${ms(r.freshMs)} | ${ms(
          r.warmMs,
        )} | ${ms(r.uncachedMs)} | ${(r.uncachedMs / r.warmMs).toFixed(1)}× |`,
    ),
    '',
    skipped.length
      ? `Skipped:\n${skipped.map(s => `- ${s}`).join('\n')}\n`
      : 'Skipped: none\n',
  ];
  return `${lines.join('\n')}\n`;
}

function results(report: string): string {
  return `# Render benchmark

Command (from the repository root):

\`\`\`
./paverw yarn tsx bench/render/run.ts --write
\`\`\`

Machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'unknown CPU'}, Node ${
    process.version
  }, shared with other work.
Date: ${new Date()
    .toISOString()
    .slice(0, 10)}. Target: warm render < 100 ms for ~60 files.

- **cold**: the first render in a fresh process: load (read files, parse template.yaml) + compile + render, JIT cold.
- **fresh**: load + first render of a new template object, after warm-up (what a new portal task pays).
- **warm**: median of ${RUNS} renders to memory reusing the template's compiled files (the cache).
- **uncached**: median of ${RUNS} renders compiling every file again (what the cache saves).

${report}`;
}

main();
