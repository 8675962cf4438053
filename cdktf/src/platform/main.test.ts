import { execFile } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { compileForTest } from '../__testUtils__/build';
import {
  component,
  fixtureCatalog,
  group,
  healthyCatalog,
} from '../__testUtils__/catalog-fixtures';
import { optionsFromCommandLine } from './main';

const run = promisify(execFile);

describe('the compiled platform entry point', () => {
  let build: Awaited<ReturnType<typeof compileForTest>>;
  beforeAll(async () => {
    build = await compileForTest('platform-main');
  });
  afterAll(async () => {
    await build?.remove();
  });

  async function synth(files: Record<string, string>) {
    const fixture = await fixtureCatalog(files);
    const outdir = path.join(fixture.root, 'out');
    const main = path.join(build.outDir, 'platform', 'main.js');
    const result = await run(process.execPath, [
      main,
      '--catalog-dir',
      fixture.dir,
      '--outdir',
      outdir,
    ]).then(
      r => ({ code: 0, ...r }),
      (e: any) => ({
        code: e.code as number,
        stdout: e.stdout as string,
        stderr: e.stderr as string,
      }),
    );
    return { ...result, outdir, remove: fixture.remove };
  }

  it('synthesizes the stacks from plain node and says which', async () => {
    const result = await synth(healthyCatalog);
    try {
      expect(result).toMatchObject({ code: 0, stderr: '' });
      expect(result.stdout).toContain('synthesized 3 stacks');
      expect(
        (await readdir(path.join(result.outdir, 'stacks'))).sort(),
      ).toEqual([
        'component-default-accounts',
        'component-default-invoices',
        'platform-teams',
      ]);
    } finally {
      await result.remove();
    }
  });

  it('exits 1 with the offending entity named and no stack trace', async () => {
    const result = await synth({
      'g.yaml': group('payments'),
      'foo.yaml': component('foo', 'group:default/ghost'),
    });
    try {
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(
        'component:default/foo: owner group:default/ghost does not exist',
      );
      expect(result.stderr).not.toMatch(/\n\s+at /);
    } finally {
      await result.remove();
    }
  });
});

describe('optionsFromCommandLine', () => {
  it('takes the catalog token and settings from the environment', () => {
    const options = optionsFromCommandLine(
      ['--catalog-url', 'http://localhost:7007', '--outdir', '/tmp/out'],
      {
        PAVER_CATALOG_TOKEN: 't0k',
        PAVER_GITHUB_ORG: 'acme',
      },
    );
    expect(options).toMatchObject({
      catalogUrl: 'http://localhost:7007',
      catalogDir: undefined,
      catalogToken: 't0k',
      githubOrg: 'acme',
      outdir: '/tmp/out',
    });
  });

  it('refuses an unknown flag by name', () => {
    expect(() => optionsFromCommandLine(['--catalog-dri', 'x'], {})).toThrow(
      /catalog-dri/,
    );
  });
});
