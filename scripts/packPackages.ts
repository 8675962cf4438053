// Packs every published @paver workspace (the ones without `private: true`: the packages a
// generated service installs) into a folder of npm tarballs. That folder is the storage of the
// registry the backend serves on embedded defaults (paver.packages.local.dir); the release
// workflow publishes the same set to the organisation's registry.
//
//   yarn packages:pack [--out DIR] [--released DIR]
//     --out       default .paver-data/packages; ./paverw start runs it
//     --released  default packages/released
//
// `yarn pack` does what publishing needs: runs the package's prepack build, applies publishConfig
// (compiled entry points) and turns `workspace:` ranges into versions. Its tarballs are
// byte-for-byte reproducible, so packing unchanged sources again changes nothing, provided one
// pack runs at a time: each rebuilds the workspace's dist/ in place, so a second pack started
// meanwhile (`./paverw start` beside the tests, or two test files) can tar the first one's
// half-rebuilt dist/ and serve bytes no lockfile pins (npm ci: EINTEGRITY). Packs therefore take
// a lock shared by every process of this checkout.
//
// A registry keeps every version it ever served, and lockfiles of older golden-path releases pin
// those bytes. packages/released/ is that memory in the repository: the tarball of every @paver
// version a lockfile pinned (`yarn templates:lock` adds them, nothing edits them). Packing copies
// them beside the fresh tarballs, and refuses a workspace that no longer packs to the bytes of its
// released version: its sources changed without a version bump.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import {
  copyFile,
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  rename,
  rm,
} from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { lock } from 'proper-lockfile';

const run = promisify(execFile);
const repoRoot = path.resolve(__dirname, '..');
const yarn = path.join(repoRoot, '.yarn/releases/yarn-4.13.0.cjs');
/** Beside the dependencies, so a checkout without an install has neither. */
const PACK_LOCK = path.join(
  repoRoot,
  'node_modules/.cache/paver-packages-pack.lock',
);
/** The tarball of every released @paver version, as `yarn pack` made it then. */
export const RELEASED_DIR = path.join(repoRoot, 'packages/released');

/** A workspace whose version is released packs to other bytes than the released tarball. */
export class ReleasedPackageChangedError extends Error {
  constructor(file: string, releasedDir: string) {
    super(
      `${file} is released (${path.relative(
        repoRoot,
        path.join(releasedDir, file),
      )}) and its workspace no longer packs to those bytes: bump the package's version, then run yarn templates:lock`,
    );
    this.name = 'ReleasedPackageChangedError';
  }
}

/** A pack takes ~25 s here; waiting for two others must not give up. */
const PACK_LOCK_WAIT = { retries: 60, minTimeout: 500, maxTimeout: 5_000 };

interface Workspace {
  name: string;
  location: string;
}

/** Workspaces Yarn lists as publishable (`--no-private`). */
async function publishedWorkspaces(): Promise<Workspace[]> {
  const { stdout } = await run(
    process.execPath,
    [yarn, 'workspaces', 'list', '--json', '--no-private'],
    { cwd: repoRoot },
  );
  return stdout
    .split('\n')
    .filter(Boolean)
    .map(line => JSON.parse(line) as Workspace)
    .filter(w => w.name.startsWith('@paver/'));
}

/**
 * Packs each workspace into a staging folder beside `outDir`, then renames the tarball into place,
 * so the registry never serves a half-written file. Other versions already in `outDir` stay: a
 * registry keeps every version a lockfile may pin.
 */
export async function packPackages(
  outDir: string,
  onStep: (message: string) => void = () => {},
  releasedDir: string = RELEASED_DIR,
): Promise<string[]> {
  await mkdir(outDir, { recursive: true });
  await mkdir(path.dirname(PACK_LOCK), { recursive: true });
  const release = await lock(repoRoot, {
    lockfilePath: PACK_LOCK,
    retries: PACK_LOCK_WAIT,
  });
  const staging = await mkdtemp(path.join(outDir, '.staging-'));
  try {
    const written: string[] = [];
    for (const workspace of await publishedWorkspaces()) {
      onStep(`packing ${workspace.name} (${workspace.location})`);
      await run(
        process.execPath,
        [
          yarn,
          'workspace',
          workspace.name,
          'pack',
          '--out',
          `${staging}/%s-%v.tgz`,
        ],
        { cwd: repoRoot, maxBuffer: 16 * 1024 * 1024 },
      );
      for (const file of await readdir(staging)) {
        await refuseChangedRelease(path.join(staging, file), releasedDir);
        await rename(path.join(staging, file), path.join(outDir, file));
        written.push(file);
      }
    }
    const older = await serveReleased(releasedDir, outDir, staging, written);
    if (older.length > 0) onStep(`serving released ${older.join(', ')}`);
    return written;
  } finally {
    await rm(staging, { recursive: true, force: true });
    await release();
  }
}

async function refuseChangedRelease(
  tarball: string,
  releasedDir: string,
): Promise<void> {
  const file = path.basename(tarball);
  const released = path.join(releasedDir, file);
  if (!existsSync(released)) return;
  const [fresh, recorded] = await Promise.all([
    readFile(tarball),
    readFile(released),
  ]);
  if (!fresh.equals(recorded)) {
    throw new ReleasedPackageChangedError(file, releasedDir);
  }
}

/** Copies the released tarballs not packed today into `outDir` (through `staging`). */
async function serveReleased(
  releasedDir: string,
  outDir: string,
  staging: string,
  packed: string[],
): Promise<string[]> {
  if (!existsSync(releasedDir)) return [];
  const older = (await readdir(releasedDir)).filter(
    file => file.endsWith('.tgz') && !packed.includes(file),
  );
  for (const file of older) {
    await copyFile(path.join(releasedDir, file), path.join(staging, file));
    await rename(path.join(staging, file), path.join(outDir, file));
  }
  return older;
}

/** The folder after `flag` in `argv`, or `fallback` without the flag. */
function folderOption(argv: string[], flag: string, fallback: string): string {
  const index = argv.indexOf(flag);
  if (index === -1) return fallback;
  const value = argv[index + 1];
  if (!value || value.startsWith('--')) {
    throw new Error(`${flag} needs a folder: yarn packages:pack ${flag} DIR`);
  }
  return path.resolve(value);
}

if (require.main === module) {
  const argv = process.argv.slice(2);
  const outDir = folderOption(
    argv,
    '--out',
    path.join(repoRoot, '.paver-data/packages'),
  );
  // --released: another memory of released versions (the tests use one of their own).
  const releasedDir = folderOption(argv, '--released', RELEASED_DIR);
  packPackages(
    outDir,
    message => console.error(`[packages] ${message}`),
    releasedDir,
  )
    .then(files =>
      console.error(
        `[packages] ${files.length} tarball(s) in ${outDir}: ${files.join(
          ', ',
        )}`,
      ),
    )
    .catch(error => {
      const detail = error?.stdout ? `\n${error.stdout}${error.stderr}` : '';
      console.error(`[packages] failed: ${error?.message ?? error}${detail}`);
      process.exit(1);
    });
}
