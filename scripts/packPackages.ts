// Packs every published @paver workspace (the ones without `private: true`: the packages a
// generated service installs) into a folder of npm tarballs. That folder is the storage of the
// registry the backend serves on embedded defaults (paver.packages.local.dir); the release
// workflow publishes the same set to the organisation's registry.
//
//   yarn packages:pack [--out DIR]      (default .paver-data/packages; ./paverw start runs it)
//
// `yarn pack` does what publishing needs: runs the package's prepack build, applies publishConfig
// (compiled entry points) and turns `workspace:` ranges into versions. Its tarballs are
// byte-for-byte reproducible, so packing unchanged sources again changes nothing, provided one
// pack runs at a time: each rebuilds the workspace's dist/ in place, so a second pack started
// meanwhile (`./paverw start` beside the tests, or two test files) can tar the first one's
// half-rebuilt dist/ and serve bytes no lockfile pins (npm ci: EINTEGRITY). Packs therefore take
// a lock shared by every process of this checkout.
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rename, rm } from 'node:fs/promises';
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
        await rename(path.join(staging, file), path.join(outDir, file));
        written.push(file);
      }
    }
    return written;
  } finally {
    await rm(staging, { recursive: true, force: true });
    await release();
  }
}

function parseOut(argv: string[]): string {
  const index = argv.indexOf('--out');
  if (index === -1) return path.join(repoRoot, '.paver-data/packages');
  const value = argv[index + 1];
  if (!value || value.startsWith('--')) {
    throw new Error('--out needs a folder: yarn packages:pack --out DIR');
  }
  return path.resolve(value);
}

if (require.main === module) {
  const outDir = parseOut(process.argv.slice(2));
  packPackages(outDir, message => console.error(`[packages] ${message}`))
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
