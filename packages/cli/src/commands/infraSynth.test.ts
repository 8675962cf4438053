import fs from 'node:fs';
import path from 'node:path';
import { tempDirSync } from '@paver/test-utils';
import { PlatformAppError } from '../errors';
import { captureIo } from '../__testUtils__/io';
import {
  runPaverAsync,
  startFakeCatalogApi,
  writeCatalog,
} from '../__testUtils__/catalogFixture';
import { runPaver } from '../__testUtils__/fixture';
import { ensurePlatformApp } from './infraSynth';

const REPO_ROOT = path.resolve(__dirname, '../../../..');

const group = (name: string) =>
  `apiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata:\n  name: ${name}\nspec:\n  type: team\n  children: []\n`;
const component = (name: string, owner: string) =>
  `apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: ${name}\nspec:\n  type: service\n  lifecycle: production\n  owner: ${owner}\n`;

const CATALOG = {
  'groups/payments.yaml': group('payments'),
  'groups/identity.yaml': group('identity'),
  'components/invoices.yaml': component('invoices', 'group:default/payments'),
  'components/accounts.yaml': component('accounts', 'identity'),
};

// The compiled app is rebuilt only when cdktf/src changed since the last build, so either line is right.
const BUILT = /^✔ built constructs( \(cached\))?\n/;

describe('paver infra synth', () => {
  it('synthesizes one stack per Component plus the teams stack, listing each', () => {
    const { base } = writeCatalog(CATALOG);
    const result = runPaver(
      ['infra', 'synth', '--catalog', 'catalog', '--out', 'out'],
      base,
    );
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(BUILT);
    expect(result.stdout.replace(BUILT, '')).toBe(
      [
        '✔ read 2 components from catalog/',
        '✔ synthesized 3 stacks into out',
        '  platform-teams              out/stacks/platform-teams/cdk.tf.json',
        '  component-default-accounts  out/stacks/component-default-accounts/cdk.tf.json',
        '  component-default-invoices  out/stacks/component-default-invoices/cdk.tf.json',
        '',
      ].join('\n'),
    );
    expect(fs.readdirSync(path.join(base, 'out', 'stacks')).sort()).toEqual([
      'component-default-accounts',
      'component-default-invoices',
      'platform-teams',
    ]);
    const stack = JSON.parse(
      fs.readFileSync(
        path.join(base, 'out/stacks/component-default-invoices/cdk.tf.json'),
        'utf8',
      ),
    );
    expect(JSON.stringify(stack.resource.github_repository)).toContain(
      '"name":"invoices"',
    );
  });

  it('fails naming a Component whose owner does not exist, writing nothing', () => {
    const { base } = writeCatalog({
      ...CATALOG,
      'components/ghostly.yaml': component('ghostly', 'group:default/ghost'),
    });
    const result = runPaver(
      ['infra', 'synth', '--catalog', 'catalog', '--out', 'out'],
      base,
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      'paver: cannot synthesize the platform stacks: component:default/ghostly: owner group:default/ghost does not exist\n',
    );
    expect(fs.existsSync(path.join(base, 'out', 'manifest.json'))).toBe(false);
  });

  it('reads Components from a catalog API, handing the token to the app', async () => {
    const api = await startFakeCatalogApi(CATALOG, { token: 'tok-123' });
    try {
      const { base } = writeCatalog({});
      const result = await runPaverAsync(
        ['infra', 'synth', '--catalog-url', api.url, '--token', 'tok-123'],
        base,
      );
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(result.stdout).toContain(
        `✔ read 2 components from ${api.url}\n✔ synthesized 3 stacks into cdktf.out\n`,
      );
      expect(
        fs.existsSync(
          path.join(
            base,
            'cdktf.out/stacks/component-default-accounts/cdk.tf.json',
          ),
        ),
      ).toBe(true);
      expect(api.requests.length).toBeGreaterThan(0);
      expect(
        api.requests.every(r => r.authorization === 'Bearer tok-123'),
      ).toBe(true);
    } finally {
      await api.close();
    }
  });

  it('refuses --catalog together with --catalog-url', () => {
    const { base } = writeCatalog(CATALOG);
    const result = runPaver(
      [
        'infra',
        'synth',
        '--catalog',
        'catalog',
        '--catalog-url',
        'http://127.0.0.1:9',
      ],
      base,
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      'paver: give --catalog or --catalog-url, not both\n',
    );
  });
});

// A miniature repository (cdktf/ with one source file, the real TypeScript linked in), so building
// is exercised without touching the shared cdktf/dist.
function miniatureRepo(source: string) {
  const root = tempDirSync('paver-mini-repo-');
  const cdktf = path.join(root, 'cdktf');
  fs.mkdirSync(path.join(cdktf, 'src', 'platform'), { recursive: true });
  fs.mkdirSync(path.join(root, 'node_modules'));
  fs.symlinkSync(
    path.join(REPO_ROOT, 'node_modules', 'typescript'),
    path.join(root, 'node_modules', 'typescript'),
  );
  fs.writeFileSync(
    path.join(cdktf, 'tsconfig.build.json'),
    JSON.stringify({
      compilerOptions: {
        target: 'ES2022',
        module: 'commonjs',
        rootDir: 'src',
        outDir: 'dist',
        types: [],
        strict: true,
      },
      include: ['src'],
      exclude: ['src/**/*.test.ts'],
    }),
  );
  const main = path.join(cdktf, 'src', 'platform', 'main.ts');
  fs.writeFileSync(main, source);
  return { root, main, built: path.join(cdktf, 'dist', 'platform', 'main.js') };
}

describe('ensurePlatformApp', () => {
  it('builds when dist is missing, reuses it while fresh, and rebuilds after a source change', async () => {
    const repo = miniatureRepo('export const stacks: number = 1;\n');
    const first = captureIo();
    expect(await ensurePlatformApp(repo.root, first.io)).toBe(repo.built);
    expect(first.output()).toBe('✔ built constructs\n');
    expect(fs.readFileSync(repo.built, 'utf8')).toContain('exports.stacks = 1');

    const second = captureIo();
    await ensurePlatformApp(repo.root, second.io);
    expect(second.output()).toBe('✔ built constructs (cached)\n');

    // A test file changing does not make the build stale; a source file does.
    const testFile = path.join(path.dirname(repo.main), 'main.test.ts');
    fs.writeFileSync(testFile, 'export {};\n');
    const later = new Date(fs.statSync(repo.built).mtimeMs + 60_000);
    fs.utimesSync(testFile, later, later);
    const third = captureIo();
    await ensurePlatformApp(repo.root, third.io);
    expect(third.output()).toBe('✔ built constructs (cached)\n');

    fs.writeFileSync(repo.main, 'export const stacks: number = 2;\n');
    fs.utimesSync(repo.main, later, later);
    const fourth = captureIo();
    await ensurePlatformApp(repo.root, fourth.io);
    expect(fourth.output()).toBe('✔ built constructs\n');
    expect(fs.readFileSync(repo.built, 'utf8')).toContain('exports.stacks = 2');
  });

  it('fails with the first compiler error when the constructs do not compile, emitting nothing', async () => {
    const repo = miniatureRepo('export const stacks: number = "three";\n');
    const run = ensurePlatformApp(repo.root, captureIo().io);
    await expect(run).rejects.toBeInstanceOf(PlatformAppError);
    await expect(run).rejects.toThrow(
      /^building .*cdktf failed \(exit 1\): cdktf\/src\/platform\/main\.ts\(1,14\): error TS2322/,
    );
    // Nothing emitted, so the next run is still stale and tries again instead of running a broken app.
    expect(fs.existsSync(repo.built)).toBe(false);
  });
});
