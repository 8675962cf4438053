import fs from 'node:fs';
import path from 'node:path';
import { tempDirSync } from '@paver/test-utils';
import { main } from '../program';
import { captureIo } from '../__testUtils__/io';
import { exampleFile } from '@paver/test-utils';

const SLO = exampleFile({
  objective: 'target: 0.995',
  window: '    - duration: 28d\n      isRolling: true',
});

function repo(slo = SLO) {
  const dir = tempDirSync('paver-slo-cli-');
  fs.writeFileSync(path.join(dir, 'slo.yaml'), slo);
  const capture = captureIo();
  capture.io.cwd = dir;
  const run = (...args: string[]) =>
    main(['node', 'paver', 'slo', 'generate', ...args], capture.io);
  return { dir, run, output: capture.output };
}

describe('paver slo generate', () => {
  it('writes slo-rules.yaml beside slo.yaml, and --check passes on it', async () => {
    const { dir, run, output } = repo();
    expect(await run()).toBe(0);
    const rules = fs.readFileSync(path.join(dir, 'slo-rules.yaml'), 'utf8');
    expect(rules).toContain('alert: SloErrorBudgetBurnPage');
    expect(rules).toContain('record: slo:sli_error:ratio_rate1h');
    expect(await run('--check')).toBe(0);
    expect(output()).toContain('✔ slo-rules.yaml is what slo.yaml generates');
  });

  it('fails --check, naming the command, when slo.yaml changed and the rules did not', async () => {
    const { dir, run, output } = repo();
    await run();
    fs.writeFileSync(path.join(dir, 'slo.yaml'), SLO.replace('0.995', '0.999'));
    expect(await run('--check')).toBe(1);
    expect(output()).toContain(
      'paver: slo-rules.yaml is stale: run `paver slo generate` (in a service: npm run slo) and commit it',
    );
  });

  it('fails --check when the rule file is missing', async () => {
    const { run, output } = repo();
    expect(await run('--check')).toBe(1);
    expect(output()).toContain('slo-rules.yaml is missing');
  });

  it('names the field of an invalid objective and writes nothing', async () => {
    const { dir, run, output } = repo(
      SLO.replace('target: 0.995', 'target: 1.5'),
    );
    expect(await run()).toBe(1);
    expect(output()).toContain(
      'paver: slo.yaml: SLO checkout-availability: spec.objectives[0].target: must be in (0, 1]',
    );
    expect(fs.existsSync(path.join(dir, 'slo-rules.yaml'))).toBe(false);
  });

  it('refuses a query without the window placeholder, naming the field', async () => {
    const { run, output } = repo(SLO.replaceAll('[{{.window}}]', '[5m]'));
    expect(await run()).toBe(1);
    expect(output()).toContain(
      'spec.indicator.spec.ratioMetric.good.metricSource.spec.query: must use {{.window}}',
    );
  });
});
