import fs from 'node:fs';
import path from 'node:path';
import { tempDirSync } from '@paver/test-utils';
import { renderedGoldenPath } from '../__testUtils__/renderedGoldenPath';
import { captureIo } from '../__testUtils__/io';
import { main } from '../program';

/** Runs `paver dev` in `dir`; these cases fail before anything is built or started. */
async function paverDev(dir: string, ...args: string[]) {
  const capture = captureIo();
  capture.io.cwd = dir;
  const code = await main(['node', 'paver', 'dev', ...args], capture.io);
  return { code, output: capture.output() };
}

describe('paver dev', () => {
  it('looks for paver-dev.yaml in the current folder and says how to write one', async () => {
    const dir = tempDirSync('paver-dev-cmd-');
    const { code, output } = await paverDev(dir);
    expect(code).toBe(1);
    expect(output).toContain(
      `paver: ${path.join(
        dir,
        'paver-dev.yaml',
      )}: cannot be read (ENOENT); write one listing services: [{ path: ../billing-api }], or give --file`,
    );
  });

  it('refuses a stack that lists one service twice, before building anything', async () => {
    const billing = await renderedGoldenPath('billing-service');
    const dir = path.dirname(billing);
    fs.writeFileSync(
      path.join(dir, 'stack.yaml'),
      `services:\n  - path: ${billing}\n  - path: ./${path.basename(
        billing,
      )}/\n`,
    );
    const { code, output } = await paverDev(dir, '--file', 'stack.yaml');
    expect(code).toBe(1);
    expect(output).toContain(
      `paver: ${path.join(
        dir,
        'stack.yaml',
      )}: lists service billing-api twice\n`,
    );
    expect(fs.existsSync(path.join(billing, 'node_modules'))).toBe(false);
  });

  it('refuses a stack whose services need each other in a cycle', async () => {
    const auth = await renderedGoldenPath('auth-service');
    const billing = await renderedGoldenPath('billing-service');
    // auth made to depend on billing, which already depends on auth.
    const catalogInfo = path.join(auth, 'catalog-info.yaml');
    fs.writeFileSync(
      catalogInfo,
      fs
        .readFileSync(catalogInfo, 'utf8')
        .replace('spec:\n', 'spec:\n  dependsOn: [component:billing-api]\n'),
    );
    const dir = tempDirSync('paver-dev-cmd-');
    fs.writeFileSync(
      path.join(dir, 'paver-dev.yaml'),
      `services:\n  - path: ${auth}\n  - path: ${billing}\n`,
    );
    const { code, output } = await paverDev(dir);
    expect(code).toBe(1);
    expect(output).toContain(
      "paver: the stack's services need each other in a cycle: auth-api → billing-api → auth-api",
    );
  });
});
