import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { LoggerService } from '@backstage/backend-plugin-api';
import { CustomErrorBase } from '@backstage/errors';
import semver from 'semver';
import { list } from 'tar';

/** The names this registry serves: the @paver scope, npm's lowercase URL-safe characters. */
export const PAVER_PACKAGE_NAME = /^@paver\/[a-z0-9][a-z0-9._~-]*$/;

/** Where `npm pack` and `yarn pack` put the manifest inside a tarball. */
const MANIFEST_ENTRY = 'package/package.json';

/** A tarball's package.json: name and version are checked, the rest is passed on as it is. */
export interface PackageManifest {
  name: string;
  version: string;
  [field: string]: unknown;
}

/** One tarball of the folder, as the registry serves it. */
export interface PackageTarball {
  /** Its file name in the folder (any name: packages are found by their manifest). */
  readonly fileName: string;
  readonly filePath: string;
  readonly manifest: PackageManifest;
  /** sha1 hex of the bytes: npm's legacy `dist.shasum`. */
  readonly shasum: string;
  /** `sha512-<base64>` of the bytes: what npm checks and records in package-lock.json. */
  readonly integrity: string;
  /** When the tarball was put in the folder (its mtime): the packument's `time`. */
  readonly modified: Date;
}

/** Two tarballs claim the same name@version, so neither can be served as "the" one. */
export class DuplicatePackageError extends CustomErrorBase {
  name = 'DuplicatePackageError' as const;
}

/** Why a file of the folder is not served; logged once per version of the file. */
class UnservableTarballError extends CustomErrorBase {
  name = 'UnservableTarballError' as const;
}

interface FileStat {
  fileName: string;
  size: number;
  mtimeMs: number;
}

interface CachedRead extends FileStat {
  /** A promise, so concurrent requests share one read. Undefined when skipped. */
  tarball: Promise<PackageTarball | undefined>;
}

/**
 * The registry's storage: a folder of npm tarballs (`*.tgz`, entries under `package/`), where
 * publishing is putting a file in the folder. Each request looks at the folder again but reads a
 * tarball only when its (file name, size, mtime) is new, so a tarball added or replaced is served
 * on the next request and an unchanged one is never read twice. A missing folder holds nothing.
 */
export class PackageFolder {
  private readonly cache = new Map<string, CachedRead>();

  constructor(readonly dir: string, private readonly logger: LoggerService) {}

  /** Every servable tarball, sorted by file name; unservable ones are skipped with a warning. */
  async tarballs(): Promise<PackageTarball[]> {
    const files = await this.tarballFiles();
    this.forgetAllBut(new Set(files.map(file => file.fileName)));
    const read = await Promise.all(files.map(file => this.cachedRead(file)));
    return read.filter((t): t is PackageTarball => t !== undefined);
  }

  /** The tarballs of one package by version; DuplicatePackageError when two share a version. */
  async versions(name: string): Promise<Map<string, PackageTarball>> {
    const byVersion = new Map<string, PackageTarball>();
    for (const tarball of await this.tarballs()) {
      if (tarball.manifest.name !== name) continue;
      const { version } = tarball.manifest;
      const other = byVersion.get(version);
      if (other) {
        throw new DuplicatePackageError(
          `${name}@${version} is in two tarballs in ${this.dir}: ${other.fileName} and ${tarball.fileName}; remove one`,
        );
      }
      byVersion.set(version, tarball);
    }
    return byVersion;
  }

  /** The bytes of a tarball this folder listed. */
  async bytes(tarball: PackageTarball): Promise<Buffer> {
    return fs.readFile(tarball.filePath);
  }

  private async tarballFiles(): Promise<FileStat[]> {
    const names = await fs.readdir(this.dir).catch(error => {
      if (error?.code === 'ENOENT') return [] as string[];
      throw error;
    });
    // Dot files are work in progress (the pack script stages in `.staging-*`), not packages.
    const candidates = names.filter(
      n => n.endsWith('.tgz') && !n.startsWith('.'),
    );
    const stats = await Promise.all(
      candidates.map(async fileName => {
        const stat = await fs
          .stat(path.join(this.dir, fileName))
          .catch(() => undefined); // removed meanwhile
        return stat?.isFile()
          ? { fileName, size: stat.size, mtimeMs: stat.mtimeMs }
          : undefined;
      }),
    );
    return stats
      .filter((s): s is FileStat => s !== undefined)
      .sort((a, b) => a.fileName.localeCompare(b.fileName));
  }

  private forgetAllBut(present: Set<string>): void {
    for (const fileName of this.cache.keys()) {
      if (!present.has(fileName)) this.cache.delete(fileName);
    }
  }

  private cachedRead(file: FileStat): Promise<PackageTarball | undefined> {
    const cached = this.cache.get(file.fileName);
    if (cached?.size === file.size && cached.mtimeMs === file.mtimeMs) {
      return cached.tarball;
    }
    const tarball = this.read(file).catch(error => {
      this.logger.warn(
        `@paver package registry: skipping ${file.fileName} in ${this.dir}: ${error.message}`,
      );
      return undefined;
    });
    this.cache.set(file.fileName, { ...file, tarball });
    return tarball;
  }

  private async read(file: FileStat): Promise<PackageTarball> {
    const filePath = path.join(this.dir, file.fileName);
    const bytes = await fs.readFile(filePath);
    const manifest = checkManifest(await readManifest(bytes));
    this.warnAboutWorkspaceRanges(file.fileName, manifest);
    return {
      fileName: file.fileName,
      filePath,
      manifest,
      shasum: createHash('sha1').update(bytes).digest('hex'),
      integrity: `sha512-${createHash('sha512')
        .update(bytes)
        .digest('base64')}`,
      modified: new Date(file.mtimeMs),
    };
  }

  // `npm pack` in a Yarn workspace leaves `workspace:` ranges, which npm cannot install; `yarn pack`
  // replaces them. Served anyway, so npm's own error says which dependency it is.
  private warnAboutWorkspaceRanges(
    fileName: string,
    manifest: PackageManifest,
  ): void {
    const ranges = workspaceRanges(manifest);
    if (ranges.length === 0) return;
    this.logger.warn(
      `@paver package registry: ${fileName} (${manifest.name}@${
        manifest.version
      }) depends on ${ranges.join(
        ', ',
      )}, which npm cannot install; pack it with \`yarn pack\` (yarn packages:pack)`,
    );
  }
}

/** The parsed `package/package.json` of a gzipped tarball. */
async function readManifest(bytes: Buffer): Promise<unknown> {
  const text = await readEntry(bytes, MANIFEST_ENTRY);
  if (text === undefined) {
    throw new UnservableTarballError(`it has no ${MANIFEST_ENTRY}`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UnservableTarballError(
      `its ${MANIFEST_ENTRY} is not JSON: ${(error as Error).message}`,
    );
  }
}

/** One entry's text, read from the bytes in memory (node-tar's list, strict so damage is an error). */
async function readEntry(
  bytes: Buffer,
  entryPath: string,
): Promise<string | undefined> {
  let content: Promise<Buffer> | undefined;
  const parser = list({
    strict: true,
    filter: p => p === entryPath,
    onReadEntry: entry => {
      content = entry.concat();
    },
  });
  const ended = new Promise<void>((resolve, reject) => {
    parser.on('end', () => resolve());
    parser.on('error', (error: Error) =>
      reject(
        new UnservableTarballError(
          `it is not a readable npm tarball: ${error.message}`,
        ),
      ),
    );
  });
  parser.end(bytes);
  await ended;
  return content && (await content).toString('utf8');
}

function checkManifest(manifest: unknown): PackageManifest {
  const { name, version } = (manifest ?? {}) as Partial<PackageManifest>;
  if (typeof name !== 'string' || !PAVER_PACKAGE_NAME.test(name)) {
    throw new UnservableTarballError(
      `it holds ${
        typeof name === 'string'
          ? JSON.stringify(name)
          : 'a package without a name'
      }, not a @paver package; this registry serves only @paver/*`,
    );
  }
  // Exactly a semver version: the packument's keys and the tarball URLs are made of it.
  if (typeof version !== 'string' || semver.valid(version) !== version) {
    throw new UnservableTarballError(
      `${name} has version ${JSON.stringify(version)}, which is not semver`,
    );
  }
  return manifest as PackageManifest;
}

const DEPENDENCY_FIELDS = [
  'dependencies',
  'peerDependencies',
  'optionalDependencies',
] as const;

function workspaceRanges(manifest: PackageManifest): string[] {
  return DEPENDENCY_FIELDS.flatMap(field =>
    Object.entries((manifest[field] ?? {}) as Record<string, unknown>)
      .filter(
        ([, range]) =>
          typeof range === 'string' && range.startsWith('workspace:'),
      )
      .map(([dependency, range]) => `${dependency}@${range}`),
  );
}
