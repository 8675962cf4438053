import { spawnSync } from 'node:child_process';
import path from 'node:path';

// Every bench in its smoke mode, the way its RESULTS file says to run it, so a bench that can no
// longer run fails the test command instead of rotting until someone needs its figures. The smoke
// figures themselves mean nothing (one or a few samples on a busy machine) and are not asserted.
const repoRoot = path.resolve(__dirname, '..');
const tsxCli = require.resolve('tsx/cli', { paths: [repoRoot] });

function runBench(name: string): { status: number | null; output: string } {
  const child = spawnSync(
    process.execPath,
    [tsxCli, path.join('bench', name, 'run.ts'), '--smoke'],
    { cwd: repoRoot, encoding: 'utf8', timeout: 280_000 },
  );
  return {
    status: child.status,
    output: `${child.stdout}\n${child.stderr}`,
  };
}

describe('each bench in smoke mode', () => {
  it.each([
    ['render', /\| billing-service \| \d+ \|/],
    ['synth', /\| 1 \| deep \|[\s\S]*\| 1 \| barrel \|/],
    ['startup', /smoke: Paver ready in [\d.]+ s/],
    ['create', /smoke: \d+ of \d+ creates visible, 20 of 20 filler components/],
    ['clone', /smoke: 1 golden path\(s\) created, cloned, installed and built/],
    ['runtime', /smoke: lines of code counted for 3 golden paths/],
    ['upgrade', /smoke: drift for \d+ services, one upgrade/],
    ['events', /smoke: \d+ round trips measured/],
    ['system', /smoke: a stack of 3 services read, 4 processes/],
    [
      'catalog',
      /smoke: 1 of 1 settings ingested \d+ entities, \d+ who-owns answered/,
    ],
  ])(
    '%s runs to its report',
    (name, report) => {
      const { status, output } = runBench(name);
      expect(status, output).toBe(0);
      expect(output).toMatch(report);
    },
    300_000,
  );
});
