// The three front doors must give the same bytes: the engine's renderTemplate, the Yeoman
// generator run through yeoman-environment, and the paver CLI spawned as a user runs it.
import fs from 'node:fs';
import path from 'node:path';
import { createEnv } from 'yeoman-environment';
import { TestAdapter } from '@yeoman/adapter/testing';
import {
  loadTemplate,
  parseAnswersYaml,
  renderTemplate,
} from '@paver/golden-path';
import { TEST_PLATFORM, tempDirSync } from '@paver/test-utils';
import PaverGenerator from 'generator-paver';
import { makeWorkspace, readTree, runPaver } from './__testUtils__/fixture';

const answers = {
  name: 'billing-api',
  owner: 'group:default/payments',
  replicas: 3,
  token: 'ghp_not_in_output',
};

async function viaYeoman(
  templatesRoot: string,
  destination: string,
  template = 'demo-service',
  values: Record<string, unknown> = answers,
) {
  fs.mkdirSync(destination, { recursive: true });
  const env = createEnv({
    cwd: destination,
    adapter: new TestAdapter(),
    skipInstall: true,
  });
  env.register(PaverGenerator as never, {
    namespace: 'paver:app',
    resolved: require.resolve('generator-paver'),
  });
  const generator = await env.create('paver:app', {
    generatorArgs: [],
    generatorOptions: {
      templatesRoot,
      template,
      answers: values,
      platform: TEST_PLATFORM,
    } as never,
  });
  await env.runGenerator(generator);
}

describe('front-door parity', () => {
  it('engine, Yeoman generator and CLI write byte-identical trees', async () => {
    const { base, templatesRoot } = makeWorkspace();
    fs.writeFileSync(
      path.join(base, 'answers.yaml'),
      `token: ${answers.token}\nreplicas: 3\n`,
    );

    const engineDir = path.join(base, 'via-engine');
    await renderTemplate(
      loadTemplate(path.join(templatesRoot, 'demo-service')),
      answers,
      { targetDir: engineDir, platform: TEST_PLATFORM },
    );

    const yeomanDir = path.join(base, 'via-yeoman');
    await viaYeoman(templatesRoot, yeomanDir);

    const cli = runPaver(
      [
        'new',
        'demo-service',
        '--answers',
        'answers.yaml',
        '--set',
        `name=${answers.name}`,
        '--set',
        `owner=${answers.owner}`,
        '--target',
        'via-cli',
        '--npm-registry',
        TEST_PLATFORM.npmRegistry,
        // The answers file records every setting, so each front door is given the same ones.
        '--dashboard-url',
        TEST_PLATFORM.dashboardUrlPattern,
        '--github-org',
        TEST_PLATFORM.githubOrg,
      ],
      base,
    );
    expect(cli.stderr).toBe('');

    const engine = readTree(engineDir);
    expect(engine.map(([p]) => p)).toEqual([
      '.github/workflows/ci.yml',
      '.paver/answers.yaml',
      'Dockerfile',
      'README.md',
      'assets/logo.bin',
      'src/billingApi.ts',
    ]);
    expect(readTree(yeomanDir)).toEqual(engine);
    expect(readTree(path.join(base, 'via-cli'))).toEqual(engine);
    expect(engine.some(([, bytes]) => bytes.includes(answers.token))).toBe(
      false,
    );
  });
});

// The repository's own golden paths, each with its fixtures/answers.yaml, once they exist.
const repoTemplates = path.resolve(__dirname, '../../../templates');
const realTemplates = fs.existsSync(repoTemplates)
  ? fs
      .readdirSync(repoTemplates)
      .filter(n =>
        fs.existsSync(path.join(repoTemplates, n, 'fixtures', 'answers.yaml')),
      )
  : [];

describe.each(realTemplates)('front-door parity for templates/%s', name => {
  it('engine, Yeoman generator and CLI write byte-identical trees from the fixture answers', async () => {
    const fixture = path.join(repoTemplates, name, 'fixtures', 'answers.yaml');
    const values = parseAnswersYaml(fs.readFileSync(fixture, 'utf8'));
    const base = tempDirSync(`paver-parity-${name}-`);
    await renderTemplate(loadTemplate(path.join(repoTemplates, name)), values, {
      targetDir: path.join(base, 'engine'),
      platform: TEST_PLATFORM,
    });
    await viaYeoman(repoTemplates, path.join(base, 'yeoman'), name, values);
    const cli = runPaver(
      [
        'new',
        name,
        '--answers',
        fixture,
        '--templates',
        repoTemplates,
        '--target',
        'cli',
        '--npm-registry',
        TEST_PLATFORM.npmRegistry,
        '--dashboard-url',
        TEST_PLATFORM.dashboardUrlPattern,
        '--github-org',
        TEST_PLATFORM.githubOrg,
      ],
      base,
    );
    expect(cli.stderr).toBe('');
    const engine = readTree(path.join(base, 'engine'));
    expect(engine.length).toBeGreaterThan(1);
    expect(readTree(path.join(base, 'yeoman'))).toEqual(engine);
    expect(readTree(path.join(base, 'cli'))).toEqual(engine);
  });
});
