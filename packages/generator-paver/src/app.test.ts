// Runs generators/app through a real yeoman-environment (mem-fs, conflicter, commit to disk).
import fs from 'node:fs';
import path from 'node:path';
import { tempDirSync } from '@paver/test-utils';
import { createEnv } from 'yeoman-environment';
import { TestAdapter } from '@yeoman/adapter/testing';
import { loadTemplate, renderToMemory } from '@paver/golden-path';
import PaverGenerator from '../generators/app/index.js';

function fixture() {
  const root = tempDirSync('paver-yo-');
  const dir = path.join(root, 'templates', 'demo-service');
  const write = (rel: string, content: string | Buffer) => {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), content);
  };
  write(
    'template.yaml',
    `apiVersion: scaffolder.backstage.io/v1beta3
kind: Template
metadata:
  name: demo-service
  annotations:
    paver.dev/template-version: 1.0.0
spec:
  parameters:
    - required: [name]
      properties:
        name: { type: string, title: Name }
        lifecycle: { type: string, enum: [experimental, production], default: experimental }
        public: { type: boolean, default: false }
        token: { type: string, ui:field: Secret }
`,
  );
  write(
    'skeleton/src/{{values.name}}.ts.hbs',
    'export const name = {{{json values.name}}};\n',
  );
  write(
    'skeleton/README.md.hbs',
    '# {{values.name}} ({{values.lifecycle}}, public: {{values.public}})\n',
  );
  write(
    'skeleton/.github/workflows/ci.yml',
    'on: push\nrun: ${{ github.sha }}\n',
  );
  write('skeleton/logo.bin', Buffer.from([0, 1, 2, 255]));
  write('skeleton/package.json', '{"name": "fixed"}\n');
  return {
    root,
    templatesRoot: path.join(root, 'templates'),
    target: path.join(root, 'out'),
  };
}

async function runGenerator(
  options: Record<string, unknown>,
  cwd: string,
  mockedAnswers = {},
) {
  fs.mkdirSync(cwd, { recursive: true });
  const env = createEnv({
    cwd,
    adapter: new TestAdapter({ mockedAnswers }),
    skipInstall: true,
  });
  env.register(PaverGenerator as never, {
    namespace: 'paver:app',
    resolved: require.resolve('../generators/app/index.js'),
    packagePath: path.resolve(__dirname, '..'),
  });
  const generator = await env.create('paver:app', {
    generatorArgs: [],
    generatorOptions: options as never,
  });
  await env.runGenerator(generator);
}

function readTree(dir: string): [string, Buffer][] {
  return (
    fs.readdirSync(dir, { recursive: true, withFileTypes: true }) as fs.Dirent[]
  )
    .filter(e => e.isFile())
    .map(e =>
      path
        .relative(dir, path.join(e.parentPath, e.name))
        .split(path.sep)
        .join('/'),
    )
    .sort()
    .map(rel => [rel, fs.readFileSync(path.join(dir, rel))]);
}

describe('generator-paver', () => {
  it('writes the engine output byte for byte, and nothing else', async () => {
    const f = fixture();
    const answers = { name: 'billing-api', token: 's3cret' };
    const events: unknown[] = [];
    await runGenerator(
      {
        templatesRoot: f.templatesRoot,
        template: 'demo-service',
        answers,
        onProgress: (e: unknown) => events.push(e),
      },
      f.target,
    );
    const expected = renderToMemory(
      loadTemplate(path.join(f.templatesRoot, 'demo-service')),
      answers,
    );
    expect(readTree(f.target)).toEqual([...expected]);
    expect(events).toEqual([
      { step: 'loaded', name: 'demo-service', version: '1.0.0' },
      { step: 'validated' },
      { step: 'rendered', fileCount: expected.size },
      { step: 'written', targetDir: f.target },
    ]);
  });

  it('asks for missing answers with prompts derived from the parameters', async () => {
    const f = fixture();
    await runGenerator(
      { templatesRoot: f.templatesRoot, template: 'demo-service' },
      f.target,
      {
        name: 'asked-svc',
        lifecycle: 'production',
        public: true,
        token: '',
      },
    );
    expect(fs.readFileSync(path.join(f.target, 'README.md'), 'utf8')).toBe(
      '# asked-svc (production, public: true)\n',
    );
    expect(fs.existsSync(path.join(f.target, 'src/asked-svc.ts'))).toBe(true);
  });

  it('fails with the engine error for an invalid answer and writes nothing', async () => {
    const f = fixture();
    await expect(
      runGenerator(
        {
          templatesRoot: f.templatesRoot,
          template: 'demo-service',
          answers: { name: 'admin' },
        },
        f.target,
      ),
    ).rejects.toThrow(/answers\.name: "admin" is reserved/);
    expect(fs.readdirSync(f.target)).toEqual([]);
  });
});
