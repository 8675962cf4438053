import type { PackageManifest, PackageTarball } from './packageFolder';
import { buildPackument, latestVersion, tarballFileName } from './packument';

function tarball(
  manifest: PackageManifest,
  modified = '2026-01-01T00:00:00.000Z',
): PackageTarball {
  return {
    fileName: `${manifest.version}.tgz`,
    filePath: `/packages/${manifest.version}.tgz`,
    manifest,
    shasum: `sha1-of-${manifest.version}`,
    integrity: `sha512-of-${manifest.version}`,
    modified: new Date(modified),
  };
}

const url = (m: PackageManifest) =>
  `http://registry/${m.name}/-/${tarballFileName(m.name, m.version)}`;

describe('buildPackument', () => {
  it('lists each version with its id and where npm gets and checks its tarball', () => {
    const packument = buildPackument(
      '@paver/hello',
      [tarball({ name: '@paver/hello', version: '1.2.0', main: 'index.js' })],
      url,
    );
    expect(packument).toEqual({
      name: '@paver/hello',
      'dist-tags': { latest: '1.2.0' },
      versions: {
        '1.2.0': {
          name: '@paver/hello',
          version: '1.2.0',
          main: 'index.js',
          _id: '@paver/hello@1.2.0',
          dist: {
            tarball: 'http://registry/@paver/hello/-/hello-1.2.0.tgz',
            shasum: 'sha1-of-1.2.0',
            integrity: 'sha512-of-1.2.0',
          },
        },
      },
      time: {
        created: '2026-01-01T00:00:00.000Z',
        modified: '2026-01-01T00:00:00.000Z',
        '1.2.0': '2026-01-01T00:00:00.000Z',
      },
    });
  });

  it('keeps what npm installs with and drops what only the publisher needs', () => {
    const installFields = {
      dependencies: { yaml: '^2.0.0' },
      peerDependencies: { constructs: '^10.0.0' },
      optionalDependencies: { fsevents: '^2.0.0' },
      bundleDependencies: ['inner'],
      devDependencies: { vitest: '^3.0.0' },
      bin: { hello: 'bin/hello.js' },
      engines: { node: '>=22' },
      scripts: { prepack: 'tsc', postinstall: 'node setup.js' },
      os: ['linux'],
      types: 'dist/index.d.ts',
    };
    const [entry] = Object.values(
      buildPackument(
        '@paver/hello',
        [
          tarball({
            name: '@paver/hello',
            version: '1.0.0',
            ...installFields,
            private: true,
            publishConfig: { access: 'restricted' },
            workspaces: ['packages/*'],
            _resolved: 'file:../elsewhere.tgz',
            _integrity: 'sha512-stale',
            _id: 'stale@0.0.0',
            dist: { tarball: 'http://stale/' },
          }),
        ],
        url,
      ).versions,
    );
    expect(entry).toEqual({
      name: '@paver/hello',
      version: '1.0.0',
      ...installFields,
      _id: '@paver/hello@1.0.0',
      dist: {
        tarball: 'http://registry/@paver/hello/-/hello-1.0.0.tgz',
        shasum: 'sha1-of-1.0.0',
        integrity: 'sha512-of-1.0.0',
      },
    });
  });

  it('orders versions by semver and spans created to modified', () => {
    const packument = buildPackument(
      '@paver/hello',
      [
        tarball(
          { name: '@paver/hello', version: '1.10.0' },
          '2026-03-01T00:00:00.000Z',
        ),
        tarball(
          { name: '@paver/hello', version: '1.9.0' },
          '2026-02-01T00:00:00.000Z',
        ),
        tarball(
          { name: '@paver/hello', version: '2.0.0-rc.1' },
          '2026-04-01T00:00:00.000Z',
        ),
      ],
      url,
    );
    expect(Object.keys(packument.versions)).toEqual([
      '1.9.0',
      '1.10.0',
      '2.0.0-rc.1',
    ]);
    expect(packument['dist-tags'].latest).toBe('1.10.0');
    expect(packument.time).toMatchObject({
      created: '2026-02-01T00:00:00.000Z',
      modified: '2026-04-01T00:00:00.000Z',
      '1.9.0': '2026-02-01T00:00:00.000Z',
    });
  });
});

describe('latestVersion', () => {
  it('is the highest version that is not a prerelease', () => {
    expect(latestVersion(['1.2.0', '1.3.0-beta.1', '1.10.0', '1.9.9'])).toBe(
      '1.10.0',
    );
  });

  it('is the highest prerelease when there is nothing else', () => {
    expect(latestVersion(['0.1.0-alpha.2', '0.1.0-alpha.10'])).toBe(
      '0.1.0-alpha.10',
    );
  });
});

describe('tarballFileName', () => {
  it('is the name without its scope, then the version', () => {
    expect(tarballFileName('@paver/cdktf', '0.3.0-rc.1')).toBe(
      'cdktf-0.3.0-rc.1.tgz',
    );
  });
});
