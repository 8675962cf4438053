import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { LoggerService } from '@backstage/backend-plugin-api';
import { tempDir } from '@paver/test-utils';
import { create } from 'tar';
import { DuplicatePackageError, PackageFolder } from './packageFolder';

/** A logger that keeps its warnings. */
function recordingLogger() {
  const warnings: string[] = [];
  const logger = {
    warn: (message: string) => warnings.push(message),
    info: () => {},
    error: () => {},
    debug: () => {},
    child: () => logger,
  } as unknown as LoggerService;
  return { logger, warnings };
}

/** Writes `<dir>/<fileName>`: a gzipped tarball of `entries` (path → content). */
async function writeTarball(
  dir: string,
  fileName: string,
  entries: Record<string, string>,
): Promise<string> {
  const stage = await tempDir('tarball-stage-');
  for (const [entry, content] of Object.entries(entries)) {
    await fs.mkdir(path.dirname(path.join(stage, entry)), { recursive: true });
    await fs.writeFile(path.join(stage, entry), content);
  }
  const file = path.join(dir, fileName);
  await create({ gzip: true, cwd: stage, file, portable: true }, [
    ...new Set(Object.keys(entries).map(e => e.split('/')[0])),
  ]);
  return file;
}

const packageJson = (manifest: Record<string, unknown>) => ({
  'package/package.json': JSON.stringify(manifest),
  'package/index.js': 'module.exports = 42;\n',
});

describe('PackageFolder', () => {
  it('lists each tarball with its manifest and the hashes npm checks', async () => {
    const dir = await tempDir('packages-');
    const file = await writeTarball(
      dir,
      'paver-hello-1.2.0.tgz',
      packageJson({ name: '@paver/hello', version: '1.2.0', main: 'index.js' }),
    );
    const bytes = await fs.readFile(file);
    const [tarball, ...rest] = await new PackageFolder(
      dir,
      recordingLogger().logger,
    ).tarballs();
    expect(rest).toEqual([]);
    expect(tarball).toMatchObject({
      fileName: 'paver-hello-1.2.0.tgz',
      filePath: file,
      manifest: { name: '@paver/hello', version: '1.2.0', main: 'index.js' },
      shasum: createHash('sha1').update(bytes).digest('hex'),
      integrity: `sha512-${createHash('sha512')
        .update(bytes)
        .digest('base64')}`,
    });
    expect(tarball.modified.getTime()).toBe(
      Math.floor((await fs.stat(file)).mtimeMs),
    );
  });

  it('holds nothing when the folder does not exist', async () => {
    const missing = path.join(await tempDir('packages-'), 'not-yet');
    const folder = new PackageFolder(missing, recordingLogger().logger);
    expect(await folder.tarballs()).toEqual([]);
    expect((await folder.versions('@paver/hello')).size).toBe(0);
  });

  it('looks only at *.tgz files, not at dot files or folders', async () => {
    const dir = await tempDir('packages-');
    const manifest = packageJson({ name: '@paver/hello', version: '1.0.0' });
    await writeTarball(dir, 'hello.tar', manifest);
    await writeTarball(dir, '.partial.tgz', manifest);
    await fs.mkdir(path.join(dir, 'folder.tgz'));
    await fs.mkdir(path.join(dir, '.staging-x'));
    await writeTarball(path.join(dir, '.staging-x'), 'staged.tgz', manifest);
    const { logger, warnings } = recordingLogger();
    expect(await new PackageFolder(dir, logger).tarballs()).toEqual([]);
    expect(warnings).toEqual([]);
  });

  it.each([
    [
      'a file that is not a tarball',
      'not gzip at all',
      /not a readable npm tarball/,
    ],
    [
      'a tarball without package/package.json',
      { 'other/package.json': '{}' },
      /no package\/package\.json/,
    ],
    [
      'a package.json that is not JSON',
      { 'package/package.json': '{ name' },
      /not JSON/,
    ],
    [
      'a package outside @paver',
      packageJson({ name: 'left-pad', version: '1.0.0' }),
      /"left-pad", not a @paver package/,
    ],
    [
      'a name without one',
      packageJson({ version: '1.0.0' }),
      /a package without a name, not a @paver package/,
    ],
    [
      'a version that is not semver',
      packageJson({ name: '@paver/hello', version: 'v1' }),
      /version "v1", which is not semver/,
    ],
  ] as const)(
    'skips %s with a warning naming the file',
    async (_case, content, reason) => {
      const dir = await tempDir('packages-');
      if (typeof content === 'string') {
        await fs.writeFile(path.join(dir, 'bad.tgz'), content);
      } else {
        await writeTarball(dir, 'bad.tgz', content);
      }
      await writeTarball(
        dir,
        'good.tgz',
        packageJson({ name: '@paver/hello', version: '1.0.0' }),
      );
      const { logger, warnings } = recordingLogger();
      const tarballs = await new PackageFolder(dir, logger).tarballs();
      expect(tarballs.map(t => t.fileName)).toEqual(['good.tgz']);
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toContain(`skipping bad.tgz in ${dir}`);
      expect(warnings[0]).toMatch(reason);
    },
  );

  it('reads an unchanged tarball once, and a skipped one warns once', async () => {
    const dir = await tempDir('packages-');
    await writeTarball(
      dir,
      'hello.tgz',
      packageJson({ name: '@paver/hello', version: '1.0.0' }),
    );
    await fs.writeFile(path.join(dir, 'broken.tgz'), 'nope');
    const { logger, warnings } = recordingLogger();
    const folder = new PackageFolder(dir, logger);
    const [first] = await folder.tarballs();
    const [again] = await folder.tarballs();
    // The same object: served from the cache, not parsed again.
    expect(again).toBe(first);
    expect(warnings).toHaveLength(1);
  });

  it('picks up a tarball added, replaced in place or removed since the last request', async () => {
    const dir = await tempDir('packages-');
    const folder = new PackageFolder(dir, recordingLogger().logger);
    expect(await folder.tarballs()).toEqual([]);

    const file = await writeTarball(
      dir,
      'hello.tgz',
      packageJson({ name: '@paver/hello', version: '1.0.0' }),
    );
    const [added] = await folder.tarballs();
    expect(added.manifest.version).toBe('1.0.0');

    await writeTarball(
      dir,
      'hello.tgz',
      packageJson({ name: '@paver/hello', version: '1.0.0', main: 'x.js' }),
    );
    // Whatever the clock's resolution, the replacement has another mtime.
    const later = new Date(added.modified.getTime() + 5_000);
    await fs.utimes(file, later, later);
    const [replaced] = await folder.tarballs();
    expect(replaced.manifest.main).toBe('x.js');
    expect(replaced.integrity).not.toBe(added.integrity);

    await fs.rm(file);
    expect(await folder.tarballs()).toEqual([]);
  });

  it('gives the versions of one package, and names both files when two hold the same version', async () => {
    const dir = await tempDir('packages-');
    await writeTarball(
      dir,
      'a.tgz',
      packageJson({ name: '@paver/hello', version: '1.0.0' }),
    );
    await writeTarball(
      dir,
      'b.tgz',
      packageJson({ name: '@paver/hello', version: '1.1.0' }),
    );
    await writeTarball(
      dir,
      'c.tgz',
      packageJson({ name: '@paver/other', version: '1.0.0' }),
    );
    const folder = new PackageFolder(dir, recordingLogger().logger);
    expect([...(await folder.versions('@paver/hello')).keys()]).toEqual([
      '1.0.0',
      '1.1.0',
    ]);

    await writeTarball(
      dir,
      'd.tgz',
      packageJson({ name: '@paver/hello', version: '1.1.0' }),
    );
    const duplicate = folder.versions('@paver/hello');
    await expect(duplicate).rejects.toThrow(DuplicatePackageError);
    await expect(duplicate).rejects.toThrow(
      `@paver/hello@1.1.0 is in two tarballs in ${dir}: b.tgz and d.tgz`,
    );
    // Other packages are still served.
    expect((await folder.versions('@paver/other')).size).toBe(1);
  });

  it('serves a tarball with workspace: ranges but warns that npm cannot install it', async () => {
    const dir = await tempDir('packages-');
    await writeTarball(
      dir,
      'hello.tgz',
      packageJson({
        name: '@paver/hello',
        version: '1.0.0',
        dependencies: { '@paver/golden-path': 'workspace:^', yaml: '^2.0.0' },
      }),
    );
    const { logger, warnings } = recordingLogger();
    expect(await new PackageFolder(dir, logger).tarballs()).toHaveLength(1);
    expect(warnings).toEqual([
      expect.stringContaining(
        'depends on @paver/golden-path@workspace:^, which npm cannot install',
      ),
    ]);
  });

  it('returns the bytes of a tarball', async () => {
    const dir = await tempDir('packages-');
    const file = await writeTarball(
      dir,
      'hello.tgz',
      packageJson({ name: '@paver/hello', version: '1.0.0' }),
    );
    const folder = new PackageFolder(dir, recordingLogger().logger);
    const [tarball] = await folder.tarballs();
    expect(await folder.bytes(tarball)).toEqual(await fs.readFile(file));
  });
});
