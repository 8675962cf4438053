import semver from 'semver';
import type { PackageManifest, PackageTarball } from './packageFolder';

/** One version as npm reads it from a packument: the manifest plus where its tarball is. */
export interface PackumentVersion extends PackageManifest {
  _id: string;
  dist: { tarball: string; shasum: string; integrity: string };
}

/** The registry document for one package name (`GET /<name>`), as npm's registry answers it. */
export interface Packument {
  name: string;
  'dist-tags': { latest: string };
  versions: Record<string, PackumentVersion>;
  /** `created`, `modified` and one entry per version: npm reads it for `--before`. */
  time: Record<string, string>;
}

/**
 * Fields that matter to the publisher, not the installer; a registry never passes them on.
 * Everything npm installs with (dependencies of every kind, bin, engines, scripts, os, cpu) stays.
 */
const PUBLISHER_FIELDS = ['private', 'publishConfig', 'workspaces'];

/** The file name a version's tarball has in its URL: `<name without scope>-<version>.tgz`. */
export function tarballFileName(name: string, version: string): string {
  return `${name.slice(name.indexOf('/') + 1)}-${version}.tgz`;
}

/**
 * The packument of `name` from its tarballs (at least one). `latest` is the highest version that
 * is not a prerelease, as `npm publish` would leave it; only when every version is a prerelease is
 * it the highest of those.
 */
export function buildPackument(
  name: string,
  tarballs: readonly PackageTarball[],
  tarballUrl: (manifest: PackageManifest) => string,
): Packument {
  const versions = semver.sort(tarballs.map(t => t.manifest.version));
  const byVersion = new Map(tarballs.map(t => [t.manifest.version, t]));
  return {
    name,
    'dist-tags': { latest: latestVersion(versions) },
    versions: Object.fromEntries(
      versions.map(v => [v, versionEntry(byVersion.get(v)!, tarballUrl)]),
    ),
    time: times(tarballs),
  };
}

/** The highest stable version, else the highest prerelease. */
export function latestVersion(versions: readonly string[]): string {
  const stable = versions.filter(v => semver.prerelease(v) === null);
  const [latest] = semver.rsort([...(stable.length > 0 ? stable : versions)]);
  return latest;
}

function versionEntry(
  tarball: PackageTarball,
  tarballUrl: (manifest: PackageManifest) => string,
): PackumentVersion {
  const { manifest } = tarball;
  return {
    ...installerManifest(manifest),
    _id: `${manifest.name}@${manifest.version}`,
    dist: {
      tarball: tarballUrl(manifest),
      shasum: tarball.shasum,
      integrity: tarball.integrity,
    },
  };
}

/**
 * The manifest without publisher-only fields and without `_`-fields (`_resolved`, `_integrity`,
 * `_id`: a registry's own bookkeeping, which would contradict this registry's) or a stale `dist`.
 */
function installerManifest(manifest: PackageManifest): PackageManifest {
  return Object.fromEntries(
    Object.entries(manifest).filter(
      ([field]) =>
        !field.startsWith('_') &&
        field !== 'dist' &&
        !PUBLISHER_FIELDS.includes(field),
    ),
  ) as PackageManifest;
}

function times(tarballs: readonly PackageTarball[]): Record<string, string> {
  const dates = tarballs.map(t => t.modified.getTime());
  return {
    created: new Date(Math.min(...dates)).toISOString(),
    modified: new Date(Math.max(...dates)).toISOString(),
    ...Object.fromEntries(
      tarballs.map(t => [t.manifest.version, t.modified.toISOString()]),
    ),
  };
}
