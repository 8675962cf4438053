import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import {
  publishManifest,
  startPaverRegistry,
  type PaverRegistry,
} from './registry';

const run = promisify(execFile);

describe('startPaverRegistry', () => {
  let registry: PaverRegistry;
  beforeAll(async () => {
    registry = await startPaverRegistry();
  }, 120_000);
  afterAll(async () => {
    await registry?.stop();
  });

  it('serves a packument for @paver/cdktf whose tarball and integrity check out', async () => {
    const packument = await (
      await fetch(`${registry.url}@paver%2fcdktf`)
    ).json();
    const latest = packument.versions[packument['dist-tags'].latest];
    expect(latest).toMatchObject({
      name: '@paver/cdktf',
      main: 'dist/index.js',
      types: 'dist/index.d.ts',
    });
    expect(latest).not.toHaveProperty('private');
    expect(
      Object.values(latest.dependencies as Record<string, string>).some(range =>
        range.startsWith('workspace:'),
      ),
    ).toBe(false);
    const tarball = Buffer.from(
      await (await fetch(latest.dist.tarball)).arrayBuffer(),
    );
    const { createHash } = await import('node:crypto');
    expect(
      `sha512-${createHash('sha512').update(tarball).digest('base64')}`,
    ).toBe(latest.dist.integrity);
  });

  it.each([
    '@paver%2fother',
    '@paver/cdktf',
    'left-pad',
    '@paver/cdktf/-/cdktf-9.9.9.tgz',
  ])('answers 404 for %s', async requested => {
    expect((await fetch(`${registry.url}${requested}`)).status).toBe(404);
  });

  it('installs with npm into a fresh ESM project whose constructs then synthesize', async () => {
    const project = await mkdtemp(path.join(tmpdir(), 'paver-consumer-'));
    try {
      await writeFile(
        path.join(project, 'package.json'),
        JSON.stringify({ name: 'consumer', private: true, type: 'module' }),
      );
      const env = {
        ...process.env,
        PATH: `${path.dirname(process.execPath)}${path.delimiter}${
          process.env.PATH
        }`,
        'npm_config_@paver:registry': registry.url,
      };
      await run('npm', ['install', '--no-audit', '--no-fund', '@paver/cdktf'], {
        cwd: project,
        env,
        maxBuffer: 1 << 24,
      });
      const installed = JSON.parse(
        await readFile(
          path.join(project, 'node_modules/@paver/cdktf/package.json'),
          'utf8',
        ),
      );
      expect(installed.version).toBe(registry.version);
      await writeFile(
        path.join(project, 'synth.mjs'),
        `
        import { DomainService, Testing } from '@paver/cdktf';
        const json = JSON.parse(Testing.synthScope(scope => new DomainService(scope, 'svc', {
          name: 'invoices', owner: 'group:default/payments', githubOrg: 'acme', datastore: 'postgres',
        })));
        console.log(JSON.stringify(Object.keys(json.resource).sort()));
      `,
      );
      const { stdout } = await run(process.execPath, ['synth.mjs'], {
        cwd: project,
      });
      expect(JSON.parse(stdout)).toEqual(
        expect.arrayContaining([
          'aws_db_instance',
          'github_repository',
          'random_password',
        ]),
      );
    } finally {
      await rm(project, { recursive: true, force: true });
    }
  }, 600_000);
});

describe('publishManifest', () => {
  const source = {
    name: '@paver/cdktf',
    version: '1.2.3',
    private: true,
    main: 'src/index.ts',
    dependencies: { cdktf: '0.21.0', '@paver/catalog-lint': 'workspace:^' },
  };

  it('drops a workspace dependency the compiled code never requires', () => {
    expect(publishManifest(source, new Set(['cdktf'])).dependencies).toEqual({
      cdktf: '0.21.0',
    });
  });

  it('refuses a workspace dependency the compiled code requires, naming it', () => {
    expect(() =>
      publishManifest(source, new Set(['cdktf', '@paver/catalog-lint'])),
    ).toThrow(/requires workspace package @paver\/catalog-lint/);
  });

  it('refuses compiled code that requires an undeclared package', () => {
    expect(() => publishManifest(source, new Set(['cdktf', 'lodash']))).toThrow(
      /requires lodash, missing from dependencies/,
    );
  });
});
