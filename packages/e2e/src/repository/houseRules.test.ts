import path from 'node:path';
import { ESLint } from 'eslint';
import prettier from 'prettier';
import { REPO_ROOT } from '../backend/backendProcess';

// `./paverw test` gates on `yarn lint` and `yarn format:check`; these tests prove the rules those
// commands apply catch a violation, on text given to the same configs, so nothing bad is ever
// written into the tree.
const probeFile = path.join(REPO_ROOT, 'packages/golden-path/src/probe.ts');

async function lint(code: string): Promise<string[]> {
  const eslint = new ESLint({ cwd: REPO_ROOT });
  const [result] = await eslint.lintText(code, { filePath: probeFile });
  return result.messages.map(m => m.ruleId ?? m.message);
}

async function formatted(code: string): Promise<boolean> {
  const options = await prettier.resolveConfig(probeFile);
  return prettier.check(code, { ...options, filepath: probeFile });
}

describe('the lint gate', () => {
  it('reports a nested ternary in a workspace source file', async () => {
    expect(
      await lint(
        'export const f = (a: boolean, b: boolean) => (a ? 1 : b ? 2 : 3);\n',
      ),
    ).toContain('no-nested-ternary');
  });

  it('reports an import the workspace does not declare', async () => {
    expect(
      await lint(
        "import { Client } from 'pg';\n\nexport const client = new Client();\n",
      ),
    ).toContain('@backstage/no-undeclared-imports');
  });

  it('passes the same code written cleanly', async () => {
    expect(
      await lint(
        'export const f = (a: boolean, b: boolean) => {\n  if (a) return 1;\n  return b ? 2 : 3;\n};\n',
      ),
    ).toEqual([]);
  });
});

describe('the format gate', () => {
  it('rejects a line Prettier would rewrap', async () => {
    expect(await formatted("export const a = {b:1, c: 'x'}\n")).toBe(false);
  });

  it('accepts the same code as Prettier writes it', async () => {
    expect(await formatted("export const a = { b: 1, c: 'x' };\n")).toBe(true);
  });
});
