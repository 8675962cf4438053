import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { chromium, type Browser } from 'playwright-core';
import { REPO_ROOT } from './backendProcess';

const run = promisify(execFile);
const APP_DIR = join(REPO_ROOT, 'packages/app');
// The app's sources and the frontend plugins of this repository it bundles.
const APP_SOURCES = ['packages/app/src', 'plugins/paver/src'];

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
 */
export async function ensureAppBuilt(): Promise<void> {
  const index = join(APP_DIR, 'dist/index.html');
  const sources = Math.max(
    ...APP_SOURCES.map(dir => newestMtime(join(REPO_ROOT, dir))),
    statSync(join(APP_DIR, 'package.json')).mtimeMs,
  );
  if (existsSync(index) && statSync(index).mtimeMs > sources) return;
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
