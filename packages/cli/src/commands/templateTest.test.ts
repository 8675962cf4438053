import fs from 'node:fs';
import path from 'node:path';
import { tempDirSync } from '@paver/test-utils';
import { CommandFailedError } from '../errors';
import { captureIo } from '../__testUtils__/io';
import { templateTest } from './templateTest';
import { TEST_PLATFORM } from '@paver/test-utils';

// A template whose generated service needs no dependencies, so npm runs offline and fast.
function templatesWith(testScript: string) {
  const root = path.join(tempDirSync('paver-tt-'), 'templates');
  const dir = path.join(root, 'tiny-service');
  const files: Record<string, string> = {
    'template.yaml': `apiVersion: scaffolder.backstage.io/v1beta3
kind: Template
metadata:
  name: tiny-service
  annotations:
    paver.dev/template-version: 0.1.0
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
  for (const [rel, content] of Object.entries(files)) {
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
});
