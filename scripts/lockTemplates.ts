// Writes the lockfile every generated service commits, beside the package.json.hbs it locks (in
// service-base, or in a golden path's skeleton when that brings its own manifest), so a new
// repository's `npm ci` and `cache: npm` work on its first push. Run it after changing a
// package.json.hbs or a @paver package a service installs:
//
//   yarn templates:lock
//
// It packs the @paver packages, serves them the way the portal does (the scaffolder module's
// registry router), renders each golden path with its fixture answers, and lets npm resolve the
// tree (`--package-lock-only`: nothing is installed). Golden paths sharing service-base's manifest
// must come out with the same lockfile but for the service name, which the template fills in. The lockfile holds versions
// and integrity but no download URLs (the generated .npmrc says omit-lockfile-registry-resolved),
// so it installs from whichever registry an organisation names.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import {
  loadTemplate,
  parseAnswersYaml,
  renderTemplate,
} from '@paver/golden-path';
// npm as a new user runs it: PATH, HOME and the machine's CA settings, nothing of Paver's.
import { newUserEnv } from '../packages/e2e/src/services/newUserEnv';
import { serveRegistry } from '@paver/plugin-scaffolder-backend-module-paver/testUtils';
import { packPackages, RELEASED_DIR } from './packPackages';

const run = promisify(execFile);
const repoRoot = path.resolve(__dirname, '..');
const templatesRoot = path.join(repoRoot, 'templates');
const SHARED_LAYER = path.join(templatesRoot, '_fragments/service-base');
const NAME_SLOT = '__paver_service_name__';
const GOLDEN_PATHS = [
  'auth-service',
  'billing-service',
  'notification-service',
];

const log = (message: string) => console.error(`[templates:lock] ${message}`);

/** A skeleton's own package.json.hbs wins over service-base's (the engine's layering rule). */
function manifestLayer(name: string): string {
  const skeleton = path.join(templatesRoot, name, 'skeleton');
  return existsSync(path.join(skeleton, 'package.json.hbs'))
    ? skeleton
    : SHARED_LAYER;
}

/** The lockfile npm resolves for one golden path, its service name replaced by the slot. */
async function lockFor(name: string, registry: string, work: string) {
  const template = loadTemplate(path.join(templatesRoot, name));
  const answers = parseAnswersYaml(
    await readFile(path.join(template.dir, 'fixtures/answers.yaml'), 'utf8'),
  );
  const dir = path.join(work, name);
  await renderTemplate(template, answers, {
    targetDir: dir,
    platform: {
      npmRegistry: registry,
      dashboardUrlPattern: null,
      githubOrg: null,
    },
  });
  await rm(path.join(dir, 'package-lock.json'), { force: true });
  log(`resolving ${name} (${answers.name})`);
  await run(
    'npm',
    [
      'install',
      '--package-lock-only',
      '--ignore-scripts',
      '--no-audit',
      '--no-fund',
    ],
    { cwd: dir, env: newUserEnv(), maxBuffer: 16 * 1024 * 1024 },
  );
  const lock = JSON.parse(
    await readFile(path.join(dir, 'package-lock.json'), 'utf8'),
  );
  lock.name = NAME_SLOT;
  lock.packages[''].name = NAME_SLOT;
  return `${JSON.stringify(lock, null, 2)}\n`;
}

/** `@paver-<name>-<version>.tgz` for every @paver package a lockfile pins. */
function pinnedTarballs(lockText: string): string[] {
  const lock = JSON.parse(lockText) as {
    packages: Record<string, { version?: string }>;
  };
  return Object.entries(lock.packages)
    .filter(([key]) => key.startsWith('node_modules/@paver/'))
    .map(([key, entry]) => {
      const name = key.slice('node_modules/@paver/'.length);
      return `@paver-${name}-${entry.version}.tgz`;
    });
}

/**
 * Keeps the tarball of every @paver version the lockfiles now pin in packages/released/, so the
 * registry still serves it after the package moves on (the lockfiles of released golden paths
 * pin it for good). A recorded tarball is never replaced.
 */
async function recordReleased(lockTexts: string[], packed: string) {
  const pinned = new Set(lockTexts.flatMap(pinnedTarballs));
  for (const file of pinned) {
    const recorded = path.join(RELEASED_DIR, file);
    if (existsSync(recorded)) continue;
    await copyFile(path.join(packed, file), recorded);
    log(`recorded ${path.relative(repoRoot, recorded)}`);
  }
}

/**
 * Resolves every golden path, then writes one lockfile per layer holding a package.json.hbs;
 * returns what it wrote.
 */
async function writeLockfiles(
  registry: string,
  work: string,
): Promise<string[]> {
  const byLayer = new Map<string, Set<string>>();
  for (const name of GOLDEN_PATHS) {
    const layer = manifestLayer(name);
    const locks = byLayer.get(layer) ?? new Set<string>();
    locks.add(await lockFor(name, registry, work));
    byLayer.set(layer, locks);
  }
  for (const [layer, locks] of byLayer) {
    if (locks.size !== 1) {
      throw new Error(
        `the golden paths sharing ${path.relative(
          repoRoot,
          layer,
        )}/package.json.hbs resolve different trees; give the one that differs its own manifest in its skeleton`,
      );
    }
    const file = path.join(layer, 'package-lock.json.hbs');
    const [text] = locks;
    await writeFile(
      file,
      text.split(`"${NAME_SLOT}"`).join('{{json values.name}}'),
    );
    log(`wrote ${path.relative(repoRoot, file)}`);
  }
  return [...byLayer.values()].flatMap(locks => [...locks]);
}

async function main() {
  const work = await mkdtemp(path.join(tmpdir(), 'paver-templates-lock-'));
  try {
    const packed = path.join(work, 'packages');
    log(`packed ${(await packPackages(packed, log)).join(', ')}`);
    const served = await serveRegistry(packed);
    try {
      await recordReleased(await writeLockfiles(served.url, work), packed);
    } finally {
      await served.close();
    }
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

main().catch(error => {
  const detail = error?.stderr ? `\n${error.stderr}` : '';
  log(`failed: ${error?.message ?? error}${detail}`);
  process.exit(1);
});
