import fs from 'node:fs';
import path from 'node:path';
import {
  gitIn,
  makeTemplateRepo,
  TEST_PLATFORM,
  tempDirSync,
  templateYaml,
  textLines,
} from '@paver/test-utils';
import { renderToMemory, TemplateReleases } from '@paver/golden-path';
import { captureIo } from '../__testUtils__/io';
import { upgrade } from './upgrade';

const git = gitIn;

/** A template repository with releases demo@1.0.0 and demo@1.1.0 (a new question, a migration). */
function templateRepo() {
  return makeTemplateRepo('demo', [
    {
      version: '1.0.0',
      files: {
        'template.yaml': templateYaml('demo', '1.0.0'),
        'skeleton/src/app.ts.hbs': textLines(
          '// {{values.name}}',
          'const port = 3000;',
          'a',
          'b',
          'c',
          'd',
          'export {};',
        ),
        'skeleton/README.md': textLines('# readme'),
        'skeleton/.npmrc.hbs': textLines(
          '@paver:registry={{platform.npmRegistry}}',
        ),
      },
    },
    {
      version: '1.1.0',
      files: {
        'template.yaml': templateYaml(
          'demo',
          '1.1.0',
          '        region: { type: string, default: eu }\n',
        ),
        'skeleton/src/app.ts.hbs': textLines(
          '// {{values.name}} in {{values.region}}',
          'const port = 8080;',
          'a',
          'b',
          'c',
          'd',
          'export {};',
        ),
        'migrations/1.1.0.ts': MIGRATION,
      },
    },
  ]);
}

const MIGRATION = `import fs from 'node:fs';
import path from 'node:path';
const log = (dir: string, line: string) => fs.appendFileSync(path.join(dir, 'migration.log'), line + '\\n');
export default {
  before: (c: { repoDir: string; from: string; to: string }) => log(c.repoDir, \`before \${c.from} \${c.to}\`),
  after: (c: { repoDir: string; answers: { region: string } }) => log(c.repoDir, \`after \${c.answers.region}\`),
};
`;

/** A service made from demo@1.0.0 and committed, as the scaffolder leaves it. */
async function serviceAt100(templatesRoot: string) {
  const service = tempDirSync('paver-upgrade-service-');
  const releases = new TemplateReleases({
    repoDir: path.dirname(templatesRoot),
  });
  const template = await releases.load('demo', '1.0.0');
  for (const [rel, content] of renderToMemory(
    template,
    { name: 'svc' },
    { platform: TEST_PLATFORM },
  )) {
    fs.mkdirSync(path.dirname(path.join(service, rel)), { recursive: true });
    fs.writeFileSync(path.join(service, rel), content);
  }
  git(service, 'init', '-q');
  git(service, 'add', '-A');
  git(service, 'commit', '-qm', 'created');
  return service;
}

const options = (templatesRoot: string, more = {}) => ({
  templatesRoot,
  set: [] as string[],
  givenPlatform: {},
  platform: TEST_PLATFORM,
  ...more,
});

describe('paver upgrade', () => {
  const templatesRoot = templateRepo();

  it('merges a team edit with the new release, answers the new question from its default, runs the migration, and records the new version last', async () => {
    const service = await serviceAt100(templatesRoot);
    const app = path.join(service, 'src/app.ts');
    fs.writeFileSync(
      app,
      fs.readFileSync(app, 'utf8').replace('d\n', 'd (ours)\n'),
    );
    git(service, 'commit', '-qam', 'team edit');
    const { io, output } = captureIo();

    const result = await upgrade(options(templatesRoot, { repo: service }), io);

    expect(result.conflicts).toEqual([]);
    expect(fs.readFileSync(app, 'utf8')).toBe(
      textLines(
        '// svc in eu',
        'const port = 8080;',
        'a',
        'b',
        'c',
        'd (ours)',
        'export {};',
      ),
    );
    expect(fs.readFileSync(path.join(service, 'migration.log'), 'utf8')).toBe(
      'before 1.0.0 1.1.0\nafter eu\n',
    );
    const answers = fs.readFileSync(
      path.join(service, '.paver/answers.yaml'),
      'utf8',
    );
    expect(answers).toMatch(/^version: 1\.1\.0$/m);
    expect(answers).toMatch(/^ {2}region: eu$/m);
    expect(output()).toContain('  M src/app.ts  merged\n');
    expect(output()).toContain(
      'upgraded 1.0.0 → 1.1.0: 1 files changed, 0 conflicts',
    );
  });

  it('writes a conflict inline with markers, lists it, and takes --set for the new question', async () => {
    const service = await serviceAt100(templatesRoot);
    const app = path.join(service, 'src/app.ts');
    fs.writeFileSync(app, fs.readFileSync(app, 'utf8').replace('3000', '4000'));
    git(service, 'commit', '-qam', 'our port');
    const { io, output } = captureIo();

    const result = await upgrade(
      options(templatesRoot, { repo: service, set: ['region=us'] }),
      io,
    );

    expect(result.conflicts).toEqual([
      {
        path: 'src/app.ts',
        kind: 'conflict',
        reason: 'both-changed',
        markers: 1,
      },
    ]);
    expect(fs.readFileSync(app, 'utf8')).toContain(
      textLines(
        '<<<<<<< yours',
        '// svc',
        'const port = 4000;',
        '=======',
        '// svc in us',
        'const port = 8080;',
        '>>>>>>> demo@1.1.0',
      ),
    );
    expect(output()).toContain(
      '  C src/app.ts  conflict: you and the template changed the same lines (1 marked)\n',
    );
  });

  it('with --dry-run reports the same plan and writes nothing, not even in a dirty repository', async () => {
    const service = await serviceAt100(templatesRoot);
    fs.writeFileSync(path.join(service, 'scratch.txt'), 'uncommitted');
    const { io, output } = captureIo();
    const result = await upgrade(
      options(templatesRoot, { repo: service, dryRun: true }),
      io,
    );
    expect(result.outcomes).toEqual([{ path: 'src/app.ts', kind: 'updated' }]);
    expect(git(service, 'status', '--porcelain')).toBe('?? scratch.txt\n');
    expect(output()).toContain(
      'would upgrade (dry run, nothing written) 1.0.0 → 1.1.0',
    );
  });

  it('refuses a repository with uncommitted changes, before writing anything', async () => {
    const service = await serviceAt100(templatesRoot);
    fs.appendFileSync(path.join(service, 'README.md'), 'wip\n');
    await expect(
      upgrade(options(templatesRoot, { repo: service }), captureIo().io),
    ).rejects.toThrow(/has uncommitted changes; commit or stash them first/);
    expect(git(service, 'status', '--porcelain')).toBe(' M README.md\n');
  });

  it('names the releases there are when the recorded or requested one does not exist', async () => {
    const service = await serviceAt100(templatesRoot);
    await expect(
      upgrade(
        options(templatesRoot, { repo: service, to: '9.0.0' }),
        captureIo().io,
      ),
    ).rejects.toThrow('no release demo@9.0.0 in');
    await expect(
      upgrade(
        options(templatesRoot, { repo: service, to: '9.0.0' }),
        captureIo().io,
      ),
    ).rejects.toThrow('(released: demo@1.0.0, demo@1.1.0)');
  });

  it('refuses when the release no longer has the source the service recorded', async () => {
    const service = await serviceAt100(templatesRoot);
    const file = path.join(service, '.paver/answers.yaml');
    fs.writeFileSync(
      file,
      fs
        .readFileSync(file, 'utf8')
        .replace(/digest: .*/, `digest: sha256:${'0'.repeat(64)}`),
    );
    git(service, 'commit', '-qam', 'tampered');
    await expect(
      upgrade(options(templatesRoot, { repo: service }), captureIo().io),
    ).rejects.toThrow(
      /demo@1\.0\.0 is not the source this service was made from/,
    );
  });

  it('says so when the service is already on the version asked for', async () => {
    const service = await serviceAt100(templatesRoot);
    await expect(
      upgrade(
        options(templatesRoot, { repo: service, to: '1.0.0' }),
        captureIo().io,
      ),
    ).rejects.toThrow('this service is on demo@1.0.0; 1.0.0 is not newer');
  });

  it("keeps the recorded settings unless told otherwise, and merges a moved registry like the template's change", async () => {
    const service = await serviceAt100(templatesRoot);
    const npmrc = path.join(service, '.npmrc');
    const laptop = {
      ...TEST_PLATFORM,
      npmRegistry: 'http://127.0.0.1:9/laptop/',
    };
    await upgrade(
      options(templatesRoot, { repo: service, platform: laptop }),
      captureIo().io,
    );
    expect(fs.readFileSync(npmrc, 'utf8')).toBe(
      textLines(`@paver:registry=${TEST_PLATFORM.npmRegistry}`),
    );

    const moved = await serviceAt100(templatesRoot);
    const registry = 'http://127.0.0.1:9/moved/';
    const result = await upgrade(
      options(templatesRoot, {
        repo: moved,
        givenPlatform: { npmRegistry: registry },
      }),
      captureIo().io,
    );
    expect(result.outcomes).toContainEqual({ path: '.npmrc', kind: 'updated' });
    expect(fs.readFileSync(path.join(moved, '.npmrc'), 'utf8')).toBe(
      textLines(`@paver:registry=${registry}`),
    );
    expect(
      fs.readFileSync(path.join(moved, '.paver/answers.yaml'), 'utf8'),
    ).toContain(`npmRegistry: ${registry}`);
  });
});
