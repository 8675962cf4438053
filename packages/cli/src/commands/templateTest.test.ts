import fs from 'node:fs';
import path from 'node:path';
import { makeTemplateRepo, tempDirSync } from '@paver/test-utils';
import { CommandFailedError } from '../errors';
import { captureIo } from '../__testUtils__/io';
import { templateTest } from './templateTest';
import { TEST_PLATFORM } from '@paver/test-utils';

// A template whose generated service needs no dependencies, so npm runs offline and fast.
function tinyTemplate(testScript: string, version = '0.1.0') {
  return {
    'template.yaml': `apiVersion: scaffolder.backstage.io/v1beta3
kind: Template
metadata:
  name: tiny-service
  annotations:
    paver.dev/template-version: ${version}
spec:
  parameters:
    - required: [name]
      properties:
        name: { type: string }
`,
    'fixtures/answers.yaml': 'name: tiny-svc\n',
    'skeleton/package.json.hbs': JSON.stringify({
      name: '{{values.name}}',
      private: true,
      scripts: {
        build: "node -e \"require('fs').writeFileSync('built.txt', 'ok')\"",
        test: testScript,
      },
    }),
  };
}

function templatesWith(testScript: string) {
  const root = path.join(tempDirSync('paver-tt-'), 'templates');
  const dir = path.join(root, 'tiny-service');
  for (const [rel, content] of Object.entries(tinyTemplate(testScript))) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), content);
  }
  return root;
}

describe('paver template test', () => {
  it('renders with fixtures/answers.yaml and runs install, build and test with a header each', async () => {
    const { io, output } = captureIo();
    await templateTest(
      templatesWith(
        "node -e \"console.log('tests ran for', require('./package.json').name)\"",
      ),
      [],
      TEST_PLATFORM,
      io,
    );
    const text = output();
    expect(text).toContain('▶ tiny-service: npm install --no-audit --no-fund');
    expect(text).toContain('▶ tiny-service: npm run build');
    expect(text).toContain('▶ tiny-service: npm test');
    expect(text).toContain('tests ran for tiny-svc');
    expect(text).toContain('✔ tiny-service: npm test');
  });

  it('fails naming the template and the step', async () => {
    const { io } = captureIo();
    const run = templateTest(
      templatesWith('node -e "process.exit(3)"'),
      ['tiny-service'],
      TEST_PLATFORM,
      io,
    );
    await expect(run).rejects.toBeInstanceOf(CommandFailedError);
    await expect(run).rejects.toThrow(
      /^tiny-service: "npm test" failed with exit code 3 \(kept in /,
    );
    // The failed render is kept for the engineer to look into; this test removes what it kept.
    const kept = /\(kept in (.+)\)$/.exec(
      ((await run.catch(e => e)) as Error).message,
    )![1];
    expect(fs.existsSync(kept)).toBe(true);
    fs.rmSync(path.dirname(kept), { recursive: true, force: true });
  });

  it('also upgrades a service made from the previous release to the working copy and runs its steps there', async () => {
    const root = makeTemplateRepo('tiny-service', [
      { version: '0.1.0', files: tinyTemplate('node -e "console.log(1)"') },
    ]);
    const working = tinyTemplate(
      'node -e "console.log(\'upgraded tests ran\')"',
      '0.2.0',
    );
    for (const [rel, content] of Object.entries(working)) {
      fs.writeFileSync(path.join(root, 'tiny-service', rel), content);
    }
    const { io, output } = captureIo();
    await templateTest(root, ['tiny-service'], TEST_PLATFORM, io);
    const text = output();
    expect(text).toMatch(
      /✔ tiny-service 0\.1\.0 → 0\.2\.0: upgraded in .* \(1 files changed\)/,
    );
    expect(text).toContain('▶ tiny-service (upgraded from 0.1.0): npm test');
    // Once in the fresh render, once in the upgraded one.
    expect(text.match(/^upgraded tests ran$/gm)).toHaveLength(2);
  });

  it('says there is no upgrade path where no earlier release exists', async () => {
    const { io, output } = captureIo();
    await templateTest(templatesWith('node -e "0"'), [], TEST_PLATFORM, io);
    expect(output()).toMatch(
      /✔ tiny-service: no releases readable \(.*\), so no upgrade path to test/,
    );
  });
});
