import fs from 'node:fs';
import path from 'node:path';
import { tempDirSync } from '@paver/test-utils';
import { main } from './cli';
import { exampleFile } from '@paver/test-utils';

function run(dir: string, ...argv: string[]) {
  const lines: string[] = [];
  const code = main(argv, {
    out: l => lines.push(l),
    err: l => lines.push(l),
    cwd: dir,
  });
  return { code, output: lines.join('\n') };
}

describe('the paver-slo bin', () => {
  it('generates slo-rules.yaml and then passes its own --check', () => {
    const dir = tempDirSync('paver-slo-bin-');
    fs.writeFileSync(path.join(dir, 'slo.yaml'), exampleFile());
    expect(run(dir, 'generate')).toEqual({
      code: 0,
      output: '✔ wrote slo-rules.yaml from slo.yaml',
    });
    expect(run(dir, 'generate', '--check').code).toBe(0);
    fs.appendFileSync(path.join(dir, 'slo-rules.yaml'), '# edited by hand\n');
    const stale = run(dir, 'generate', '--check');
    expect(stale.code).toBe(1);
    expect(stale.output).toContain('slo-rules.yaml is stale');
  });

  it('answers a wrong command line with its usage and exit code 2', () => {
    const dir = tempDirSync('paver-slo-bin-');
    expect(run(dir, 'render').code).toBe(2);
    const unknown = run(dir, 'generate', '--force');
    expect(unknown.code).toBe(2);
    expect(unknown.output).toContain('unknown argument --force');
  });
});
