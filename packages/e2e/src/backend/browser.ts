import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { chromium, type Browser, type Page } from 'playwright-core';
import { REPO_ROOT } from './backendProcess';

const run = promisify(execFile);
const APP_DIR = join(REPO_ROOT, 'packages/app');
// The app's sources, the files it serves as they are (index.html, favicons) and the frontend
// plugins of this repository it bundles.
const APP_SOURCES = [
  'packages/app/src',
  'packages/app/public',
  'plugins/paver/src',
];
// Held while one test process builds the app (node_modules/.cache: ignored, kept between runs).
const BUILD_LOCK = join(REPO_ROOT, 'node_modules/.cache/paver-app-build.lock');
// A build takes minutes on two cores; a lock older than this was left by a killed run.
const STALE_LOCK_MS = 20 * 60_000;

/** Where browser tests keep their screenshots (ignored by git, kept by CI as artifacts). */
export const ARTIFACTS_DIR = join(REPO_ROOT, 'artifacts');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(
      newest,
      entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs,
    );
  }
  return newest;
}

/**
 * The backend serves the built frontend (app-backend plugin). Build it when dist is missing or
 * older than the app's sources, so a fresh clone and an edited app both get tested as shipped.
 * Browser test files run in parallel workers and each calls this: one builds, the others wait
 * for it, since two builds into one dist delete each other's files.
 */
export async function ensureAppBuilt(): Promise<void> {
  if (appIsFresh()) return;
  await withBuildLock(async () => {
    if (!appIsFresh()) await buildApp();
  });
}

function appIsFresh(): boolean {
  const index = join(APP_DIR, 'dist/index.html');
  const sources = Math.max(
    ...APP_SOURCES.map(dir => newestMtime(join(REPO_ROOT, dir))),
    statSync(join(APP_DIR, 'package.json')).mtimeMs,
  );
  return existsSync(index) && statSync(index).mtimeMs > sources;
}

async function withBuildLock(build: () => Promise<void>): Promise<void> {
  mkdirSync(join(BUILD_LOCK, '..'), { recursive: true });
  for (;;) {
    try {
      // mkdir is atomic: exactly one process creates the folder.
      mkdirSync(BUILD_LOCK);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const held = statSync(BUILD_LOCK, { throwIfNoEntry: false });
      if (held && Date.now() - held.mtimeMs > STALE_LOCK_MS) {
        rmSync(BUILD_LOCK, { recursive: true, force: true });
      } else {
        await new Promise(r => setTimeout(r, 1000));
      }
    }
  }
  try {
    await build();
  } finally {
    rmSync(BUILD_LOCK, { recursive: true, force: true });
  }
}

async function buildApp(): Promise<void> {
  const yarn = readdirSync(join(REPO_ROOT, '.yarn/releases')).find(f =>
    f.endsWith('.cjs'),
  )!;
  await run(
    process.execPath,
    [join(REPO_ROOT, '.yarn/releases', yarn), 'workspace', 'app', 'build'],
    {
      cwd: REPO_ROOT,
      // The runner sets NODE_ENV=test, which picks no browserslist environment from the app's
      // package.json and makes Rspack refuse the query; build as shipped, for production.
      env: { ...process.env, NODE_ENV: 'production' },
      maxBuffer: 64 * 1024 * 1024,
    },
  );
}

/** Debian's Chromium, headless, with the flags this closed network needs. */
export async function launchChromium(): Promise<Browser> {
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/**
 * Issue 12: the portal is Paver's, not stock Backstage: Paver's mark in the sidebar (open or
 * collapsed, both carry the name), Paver in the browser tab, "Backstage" in neither.
 */
export async function expectPaverBranding(page: Page): Promise<void> {
  const sidebar = page.getByRole('navigation', { name: 'sidebar nav' });
  await sidebar
    .getByRole('img', { name: 'Paver' })
    .waitFor({ timeout: 60_000 });
  expect(await sidebar.innerText()).not.toMatch(/backstage/i);
  const title = await page.title();
  expect(title).toMatch(/\bPaver\b/);
  expect(title).not.toMatch(/backstage/i);
}
