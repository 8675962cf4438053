import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { PlatformAppError, UsageError } from '../errors';
import { CliIo, step } from '../io';
import { displayPath } from '../repoRoot';

/** Options of `paver infra synth`; paths are absolute. */
export interface InfraSynthOptions {
  /** The repository whose `cdktf/` holds the platform app. */
  repoRoot: string;
  /** A catalog folder; ignored when `catalogUrl` is given. */
  catalogDir: string;
  /** A Backstage base URL whose catalog API is read instead of `catalogDir`. */
  catalogUrl?: string;
  /** Bearer token for the catalog API; handed to the app in its environment, never in argv. */
  token?: string;
  outdir: string;
  debug?: boolean;
}

/** The stack the platform app always writes besides one per Component (cdktf's TEAMS_STACK). */
const TEAMS_STACK = 'platform-teams';

/**
 * `paver infra synth`: builds the cdktf package when its compiled JS is missing or stale, runs the
 * compiled platform app in a child `node` (plain JS keeps synthesis fast), then lists the stacks
 * it wrote. The app's own error (naming each entity it cannot build) becomes the CLI's error.
 */
export async function infraSynth(
  options: InfraSynthOptions,
  io: CliIo,
): Promise<void> {
  const app = await ensurePlatformApp(options.repoRoot, io);
  const source = options.catalogUrl
    ? ['--catalog-url', options.catalogUrl]
    : ['--catalog-dir', options.catalogDir];
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.PAVER_CATALOG_TOKEN;
  if (options.catalogUrl && options.token)
    env.PAVER_CATALOG_TOKEN = options.token;
  const result = await runNode(
    [app, ...source, '--outdir', options.outdir],
    options.repoRoot,
    env,
  );
  if (result.code !== 0) {
    if (options.debug) io.stderr.write(result.stderr);
    throw new PlatformAppError(
      oneLine(result.stderr) ||
        `the platform app exited with code ${result.code}`,
    );
  }

  const stacks = readManifest(options.outdir);
  const components = stacks.filter(s => s.name !== TEAMS_STACK).length;
  const from =
    options.catalogUrl ?? displayPath(io.cwd, options.catalogDir, true);
  step(
    io,
    `read ${components} component${components === 1 ? '' : 's'} from ${from}`,
  );
  step(
    io,
    `synthesized ${stacks.length} stacks into ${displayPath(
      io.cwd,
      options.outdir,
    )}`,
  );
  const width = Math.max(...stacks.map(s => s.name.length));
  for (const stack of stacks) {
    io.stdout.write(
      `  ${stack.name.padEnd(width)}  ${displayPath(
        io.cwd,
        path.join(options.outdir, stack.file),
      )}\n`,
    );
  }
}

/**
 * The compiled platform app (`cdktf/dist/platform/main.js`), built first with the repository's
 * TypeScript when it is missing or older than any source file or the build config.
 */
export async function ensurePlatformApp(
  repoRoot: string,
  io: CliIo,
): Promise<string> {
  const cdktf = path.join(repoRoot, 'cdktf');
  const main = path.join(cdktf, 'dist', 'platform', 'main.js');
  const config = path.join(cdktf, 'tsconfig.build.json');
  if (!fs.existsSync(config))
    throw new UsageError(
      `no cdktf package at ${cdktf} (tsconfig.build.json is missing)`,
    );
  const built = mtimeOf(main);
  if (built !== undefined && built >= newestSource(cdktf)) {
    step(io, 'built constructs (cached)');
    return main;
  }
  const tsc = path.join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc');
  // --noEmitOnError: a failed build leaves dist as it was, still stale, so the next run tries again.
  const result = await runNode(
    [tsc, '-p', config, '--noEmitOnError'],
    repoRoot,
    process.env,
  );
  if (result.code !== 0) {
    // tsc reports on stdout: `src/x.ts(3,1): error TS2304: ...`; the first error names file and line.
    const first = `${result.stdout}\n${result.stderr}`
      .split('\n')
      .find(l => /error/i.test(l))
      ?.trim();
    throw new PlatformAppError(
      `building ${cdktf} failed (exit ${result.code}): ${first ?? 'no output'}`,
    );
  }
  step(io, 'built constructs');
  return main;
}

/** Newest modification time among what tsconfig.build.json compiles (tests and __testUtils__/ excluded). */
function newestSource(cdktf: string): number {
  let newest = mtimeOf(path.join(cdktf, 'tsconfig.build.json')) ?? 0;
  const src = path.join(cdktf, 'src');
  for (const entry of fs.readdirSync(src, {
    recursive: true,
    withFileTypes: true,
  }) as fs.Dirent[]) {
    if (
      !entry.isFile() ||
      !entry.name.endsWith('.ts') ||
      entry.name.endsWith('.test.ts')
    )
      continue;
    const rel = path.relative(src, path.join(entry.parentPath, entry.name));
    if (rel.split(path.sep).includes('__testUtils__')) continue;
    newest = Math.max(
      newest,
      mtimeOf(path.join(entry.parentPath, entry.name)) ?? 0,
    );
  }
  return newest;
}

function mtimeOf(file: string): number | undefined {
  try {
    return fs.statSync(file).mtimeMs;
  } catch {
    return undefined;
  }
}

interface StackWritten {
  name: string;
  /** Relative to the out dir: `stacks/<name>/cdk.tf.json`. */
  file: string;
}

/** The stacks of this run, from cdktf's manifest.json (older stack folders may linger in outdir). */
function readManifest(outdir: string): StackWritten[] {
  const file = path.join(outdir, 'manifest.json');
  let manifest: { stacks?: Record<string, { synthesizedStackPath?: string }> };
  try {
    manifest = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new PlatformAppError(
      `the platform app exited 0 but ${file} cannot be read`,
      { cause: error },
    );
  }
  const stacks = Object.entries(manifest.stacks ?? {}).map(([name, stack]) => ({
    name,
    file:
      stack.synthesizedStackPath ?? path.join('stacks', name, 'cdk.tf.json'),
  }));
  // The teams stack first, as the app orders them: every component stack depends on it.
  return [
    ...stacks.filter(s => s.name === TEAMS_STACK),
    ...stacks.filter(s => s.name !== TEAMS_STACK),
  ];
}

/** `cannot synthesize ...:\n  - a\n  - b` → `cannot synthesize ...: a; b` (the CLI prints one line). */
function oneLine(text: string): string {
  const lines = text
    .split('\n')
    .map(l => l.trim())
    .filter(Boolean);
  if (lines.length === 0) return '';
  const [head, ...rest] = lines;
  const items = rest
    .filter(l => !l.startsWith('at '))
    .map(l => l.replace(/^- /, ''));
  return items.length === 0
    ? head
    : `${head.replace(/:$/, '')}: ${items.join('; ')}`;
}

function runNode(args: string[], cwd: string, env: NodeJS.ProcessEnv) {
  return new Promise<{ code: number; stdout: string; stderr: string }>(
    (resolve, reject) => {
      const child = spawn(process.execPath, args, {
        cwd,
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', d => (stdout += d));
      child.stderr.on('data', d => (stderr += d));
      child.on('error', reject);
      child.on('close', code => resolve({ code: code ?? 1, stdout, stderr }));
    },
  );
}
