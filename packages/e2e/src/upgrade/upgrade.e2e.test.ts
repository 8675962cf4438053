import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { tempDir } from '@paver/test-utils';
import {
  serveRegistry,
  type LocalRegistry,
} from '@paver/plugin-scaffolder-backend-module-paver/testUtils';
import { REPO_ROOT } from '../backend/backendProcess';
import { newUserEnv } from '../services/newUserEnv';
import { runPaverPackages } from '../services/runPaverPackages';
import { runStep } from '../services/run-step';

// The first real upgrade: a billing service created at 1.0.0 (before @paver/service-runtime),
// edited the way a team would, moved to 2.0.0 with `paver upgrade` as its owners would run it,
// then its conflict resolved and its own tests run from a clean environment.
const PAVER = path.join(REPO_ROOT, 'packages/cli/bin/paver');
const FIXTURE = path.join(
  REPO_ROOT,
  'templates/billing-service/fixtures/answers.yaml',
);
const STEP_TIMEOUT_MS = 8 * 60_000;
const run = promisify(execFile);

const git = (cwd: string, ...args: string[]) =>
  run(
    'git',
    ['-c', 'user.name=Team', '-c', 'user.email=team@example.org', ...args],
    { cwd },
  );

async function edit(file: string, from: string, to: string) {
  const text = await readFile(file, 'utf8');
  if (!text.includes(from))
    throw new Error(`${file} has no ${JSON.stringify(from)} to edit`);
  await writeFile(file, text.replace(from, to));
}

const TEAM_TEST = `import { describe, expect, it } from 'vitest';
import { sum } from '../src/domain/money.js';

describe('totals the team relies on', () => {
  it('adds minor units exactly', () => {
    expect(sum([1n, 2n, 3n])).toBe(6n);
  });
});
`;
const EXTRA_STEP = `      - name: Production dependencies resolve
        run: npm ls --omit=dev
`;

describe('paver upgrade moves a team-edited billing service from 1.0.0 onto the runtime (2.0.0)', () => {
  let registry: LocalRegistry;
  let service: string;
  let summary: string;

  beforeAll(async () => {
    registry = await serveRegistry((await runPaverPackages()).dir);
    service = path.join(await tempDir('paver-e2e-upgrade-'), 'billing-api');
    const paver = (...args: string[]) =>
      runStep(process.execPath, [PAVER, ...args], {
        cwd: path.dirname(service),
        env: newUserEnv({ FORCE_COLOR: '0' }),
        timeoutMs: STEP_TIMEOUT_MS,
      });
    await paver(
      'new',
      'billing-service',
      '--version',
      '1.0.0',
      '--answers',
      FIXTURE,
      '--target',
      service,
      '--npm-registry',
      registry.url,
      '--templates',
      path.join(REPO_ROOT, 'templates'),
    );
    await git(service, 'init', '-q', '-b', 'main');
    await git(service, 'add', '-A');
    await git(
      service,
      'commit',
      '-qm',
      'Create billing-api from billing-service@1.0.0',
    );

    // The team's own work: a new test, a changed default, an extra CI step, a note in main.ts.
    await writeFile(path.join(service, 'test/team-money.test.ts'), TEAM_TEST);
    await edit(
      path.join(service, 'src/domain/config.ts'),
      '        300,\n',
      '        600,\n',
    );
    await edit(
      path.join(service, '.github/workflows/ci.yml'),
      '      - name: Lint (type check)\n',
      `${EXTRA_STEP}      - name: Lint (type check)\n`,
    );
    await edit(
      path.join(service, 'src/main.ts'),
      "process.on('SIGINT',",
      "// Started by the team's process manager.\nprocess.on('SIGINT',",
    );
    await git(service, 'add', '-A');
    await git(service, 'commit', '-qm', 'Team changes');

    // To 2.0.0 by name: the release this upgrade is about, whatever newer ones exist.
    summary = (await paver('upgrade', '--to', '2.0.0', '--repo', service))
      .output;
  }, 10 * 60_000);

  afterAll(async () => {
    await registry?.close();
  });

  it('lists the one conflict and says the upgrade happened', () => {
    expect(summary).toContain('✔ billing-service 1.0.0 → 2.0.0\n');
    expect(summary).toMatch(
      /^ {2}C src\/main\.ts {2}conflict: you and the template changed the same lines \(1 marked\)$/m,
    );
    expect(summary).toMatch(
      /upgraded 1\.0\.0 → 2\.0\.0: \d+ files changed, 1 conflicts/,
    );
    expect(summary).toMatch(/^ {2}D src\/platform\/http\.ts {2}deleted$/m);
  });

  it('keeps every edit that did not conflict', async () => {
    expect(
      await readFile(path.join(service, 'test/team-money.test.ts'), 'utf8'),
    ).toBe(TEAM_TEST);
    expect(
      await readFile(path.join(service, 'src/domain/config.ts'), 'utf8'),
    ).toContain('        600,\n');
    const ci = await readFile(
      path.join(service, '.github/workflows/ci.yml'),
      'utf8',
    );
    expect(ci).toContain(EXTRA_STEP);
    expect(ci).toContain('run: npm run slo:check');
    const answers = await readFile(
      path.join(service, '.paver/answers.yaml'),
      'utf8',
    );
    expect(answers).toMatch(/^version: 2\.0\.0$/m);
  });

  it(
    'marks the conflict inline, and with it resolved the upgraded service installs, type-checks and passes its tests',
    async () => {
      const main = path.join(service, 'src/main.ts');
      const text = await readFile(main, 'utf8');
      const conflict =
        /<<<<<<< yours\n([\s\S]*?)=======\n([\s\S]*?)>>>>>>> billing-service@2\.0\.0\n/.exec(
          text,
        );
      expect(conflict?.[1]).toContain(
        "// Started by the team's process manager.",
      );
      // The team keeps its note and takes the new version's code.
      await writeFile(
        main,
        text.replace(
          conflict![0],
          `// Started by the team's process manager.\n${conflict![2]}`,
        ),
      );
      expect(
        (
          await git(service, 'grep', '-n', '^<<<<<<<').catch(() => ({
            stdout: '',
          }))
        ).stdout,
      ).toBe('');

      const inService = (command: string, ...args: string[]) =>
        runStep(command, args, {
          cwd: service,
          env: newUserEnv(),
          timeoutMs: STEP_TIMEOUT_MS,
        });
      await inService('npm', 'ci', '--no-audit', '--no-fund');
      await inService('npm', 'run', 'lint');
      const tests = await inService('npm', 'test');
      expect(tests.output).toMatch(/team-money\.test\.ts/);
      await inService('npm', 'run', 'slo:check');
    },
    15 * 60_000,
  );
});
