import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { stringify } from 'yaml';
import { freePort } from '@paver/test-utils';

export const REPO_ROOT = resolve(__dirname, '../../../..');
export const BACKEND_DIR = resolve(REPO_ROOT, 'packages/backend');
const NODE_TRANSFORM = require.resolve(
  '@backstage/cli-node/config/nodeTransform.cjs',
);

/** A static token the tests use to call the catalog API as an external service. */
export const TEST_TOKEN = 'paver-test-token-0123456789abcdef';

export interface BackendProcess {
  readonly baseUrl: string;
  readonly child: ChildProcess;
  /** Everything the process printed so far. */
  output(): string;
  /** Resolves with the exit code once the process has exited. */
  exited: Promise<number | null>;
  stop(): Promise<void>;
}

export interface StartOptions {
  /** Config files relative to the repository root, applied in order. */
  configFiles: string[];
  /** Extra config applied last, in order (each written to a temp YAML file, merged by Backstage). */
  override?: Record<string, unknown> | Record<string, unknown>[];
  env?: Record<string, string>;
  /** Port to listen on; a free one by default. */
  port?: number;
}

/**
 * Starts the real backend (packages/backend/src/index.ts) in a child process, the way
 * `backstage-cli package start` does, with the given config files plus test overrides that set
 * the port and an external-access token.
 */
export async function spawnBackend(
  options: StartOptions,
): Promise<BackendProcess> {
  const port = options.port ?? (await freePort());
  const baseUrl = `http://localhost:${port}`;
  const dir = await mkdtemp(join(tmpdir(), 'paver-backend-'));
  const overrideFile = join(dir, 'app-config.test.yaml');
  const testConfig = {
    app: { baseUrl },
    backend: {
      baseUrl,
      listen: { port },
      auth: {
        externalAccess: [
          {
            type: 'static',
            options: { token: TEST_TOKEN, subject: 'paver-tests' },
          },
        ],
      },
    },
  };
  await writeFile(overrideFile, stringify(testConfig));
  const files = [
    ...options.configFiles.map(f => resolve(REPO_ROOT, f)),
    overrideFile,
  ];
  const overrides =
    options.override === undefined ? [] : [options.override].flat();
  for (const [index, override] of overrides.entries()) {
    const extra = join(dir, `app-config.override-${index}.yaml`);
    await writeFile(extra, stringify(override));
    files.push(extra);
  }
  const child = spawn(
    process.execPath,
    [
      '--enable-source-maps',
      '--require',
      NODE_TRANSFORM,
      'src/index.ts',
      ...files.flatMap(f => ['--config', f]),
    ],
    {
      cwd: BACKEND_DIR,
      env: { ...process.env, NODE_ENV: 'development', ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout!.on('data', d => (output += d));
  child.stderr!.on('data', d => (output += d));
  const exited = new Promise<number | null>(res =>
    child.once('exit', code => res(code)),
  );
  return {
    baseUrl,
    child,
    output: () => output,
    exited,
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(timer);
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Polls Backstage's readiness endpoint until it answers 200, or fails with the process output. */
export async function waitForReady(
  backend: BackendProcess,
  timeoutMs = 120_000,
): Promise<number> {
  const started = Date.now();
  let exitCode: number | null | undefined;
  backend.exited.then(code => (exitCode = code));
  while (Date.now() - started < timeoutMs) {
    if (exitCode !== undefined) {
      throw new Error(
        `backend exited with ${exitCode} before it was ready:\n${backend.output()}`,
      );
    }
    try {
      const res = await fetch(
        `${backend.baseUrl}/.backstage/health/v1/readiness`,
      );
      if (res.ok) return Date.now() - started;
    } catch {
      // not listening yet
    }
    await new Promise(r => setTimeout(r, 250));
  }
  throw new Error(
    `backend not ready after ${timeoutMs} ms:\n${backend.output()}`,
  );
}

/** Calls a backend API with the test's external-access token. */
export async function apiGet<T>(
  backend: BackendProcess,
  path: string,
): Promise<T> {
  const res = await fetch(`${backend.baseUrl}${path}`, {
    headers: { authorization: `Bearer ${TEST_TOKEN}` },
  });
  if (!res.ok)
    throw new Error(`GET ${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

/** The route through which the catalog reads repositories published on embedded defaults. */
const LOCAL_REPOS_ROUTE = '/api/scaffolder/paver/repos/';

export interface LocalPublishingOptions {
  /** Data folder for bare repositories and checkouts. */
  dataDir: string;
  /** Ports of every backend whose repository route the catalog may read. */
  ports: number[];
  /** Extra Template files to register beside the golden paths. */
  extraTemplates?: string[];
  /** Other hosts the catalog may read (`backend.reading.allow` entries), e.g. a bench's own server. */
  extraReadingAllow?: { host: string; paths?: string[] }[];
  /**
   * Folder of @paver tarballs the backend serves as the registry generated services install from
   * (`packPaverPackages`). Absent: the default folder, which a test that installs must not rely on.
   */
  packagesDir?: string;
}

/**
 * Config for creating services on embedded defaults in a test or bench: local publishing into
 * `dataDir`, the catalog allowed to read the published repositories, and the organisation and the
 * golden paths registered by absolute path.
 */
export function localPublishingConfig(
  options: LocalPublishingOptions,
): Record<string, unknown> {
  const templates = [
    join(REPO_ROOT, 'templates/*/template.yaml'),
    ...(options.extraTemplates ?? []),
  ];
  return {
    backend: {
      reading: {
        allow: [
          ...options.ports.map(port => ({
            host: `localhost:${port}`,
            paths: [LOCAL_REPOS_ROUTE],
          })),
          ...(options.extraReadingAllow ?? []),
        ],
      },
    },
    paver: {
      publish: { provider: 'local', local: { dataDir: options.dataDir } },
      ...(options.packagesDir && {
        packages: { local: { dir: options.packagesDir } },
      }),
    },
    catalog: {
      locations: [
        { type: 'file', target: join(REPO_ROOT, 'catalog/all.yaml') },
        ...templates.map(target => ({
          type: 'file',
          target,
          rules: [{ allow: ['Template'] }],
        })),
      ],
    },
  };
}

/** SQLite in memory: each backend process starts from an empty database. */
export const IN_MEMORY_SQLITE = {
  backend: { database: { client: 'better-sqlite3', connection: ':memory:' } },
};
