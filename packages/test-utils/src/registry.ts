import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  copyFile,
  mkdtemp,
  readdir,
  readFile,
  rm,
  writeFile,
} from 'node:fs/promises';
import {
  createServer,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';
import { builtinModules } from 'node:module';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const repoRoot = path.resolve(__dirname, '../../..');
const cdktfRoot = path.join(repoRoot, 'cdktf');

/** A local npm registry serving the freshly built @paver/cdktf. */
export interface PaverRegistry {
  /** `http://127.0.0.1:<port>/`: use as `npm_config_@paver:registry`. */
  readonly url: string;
  /** Version being served. */
  readonly version: string;
  /** Stops the server and deletes the build. */
  stop(): Promise<void>;
}

interface Manifest {
  name: string;
  version: string;
  dependencies?: Record<string, string>;
  [key: string]: unknown;
}

/**
 * Builds @paver/cdktf to compiled JS, packs it with a publish-ready manifest, and serves it from
 * a scoped npm registry on 127.0.0.1: the packument at `/@paver%2fcdktf`, the tarball beside it,
 * 404 for anything else. Every other scope still comes from the public registry.
 */
export async function startPaverRegistry(): Promise<PaverRegistry> {
  const stage = await mkdtemp(path.join(tmpdir(), 'paver-registry-'));
  try {
    const tarball = await buildTarball(stage);
    const server = await serve(tarball);
    return {
      url: server.url,
      version: tarball.manifest.version,
      stop: async () => {
        await server.close();
        await rm(stage, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await rm(stage, { recursive: true, force: true });
    throw error;
  }
}

interface Tarball {
  manifest: Manifest;
  bytes: Buffer;
  fileName: string;
}

async function buildTarball(stage: string): Promise<Tarball> {
  const packageDir = path.join(stage, 'package');
  const tsc = require.resolve('typescript/bin/tsc', { paths: [repoRoot] });
  await run(process.execPath, [
    tsc,
    '-p',
    path.join(cdktfRoot, 'tsconfig.build.json'),
    '--outDir',
    path.join(packageDir, 'dist'),
  ]);
  const source = JSON.parse(
    await readFile(path.join(cdktfRoot, 'package.json'), 'utf8'),
  ) as Manifest;
  const manifest = publishManifest(
    source,
    await requiredPackages(path.join(packageDir, 'dist')),
  );
  await writeFile(
    path.join(packageDir, 'package.json'),
    `${JSON.stringify(manifest, null, 2)}\n`,
  );
  await copyFile(
    path.join(cdktfRoot, 'README.md'),
    path.join(packageDir, 'README.md'),
  ).catch(() => undefined);
  // npm runs under this process's Node, so the wrapper's Node 22 packs as it installs.
  const env = {
    ...process.env,
    PATH: `${path.dirname(process.execPath)}${path.delimiter}${
      process.env.PATH
    }`,
  };
  const { stdout } = await run(
    'npm',
    ['pack', '--json', '--pack-destination', stage],
    { cwd: packageDir, env },
  );
  const [{ filename }] = JSON.parse(stdout) as Array<{ filename: string }>;
  const bytes = await readFile(path.join(stage, path.basename(filename)));
  return {
    manifest,
    bytes,
    fileName: `${manifest.name.split('/')[1]}-${manifest.version}.tgz`,
  };
}

/**
 * The manifest a registry would hold: compiled entry points, no workspace-only fields, and no
 * `workspace:` ranges. A workspace dependency the compiled code never requires is dropped; one it
 * does require cannot be installed from here, so it is an error.
 */
export function publishManifest(
  source: Manifest,
  required: ReadonlySet<string>,
): Manifest {
  const dependencies: Record<string, string> = {};
  for (const [name, range] of Object.entries(source.dependencies ?? {})) {
    if (!range.startsWith('workspace:')) dependencies[name] = range;
    else if (required.has(name)) {
      throw new Error(
        `${source.name} requires workspace package ${name}, which this registry does not serve`,
      );
    }
  }
  const undeclared = [...required].filter(name => !(name in dependencies));
  if (undeclared.length > 0) {
    throw new Error(
      `${source.name}: compiled code requires ${undeclared.join(
        ', ',
      )}, missing from dependencies`,
    );
  }
  return {
    name: source.name,
    version: source.version,
    description: source.description,
    license: source.license,
    main: 'dist/index.js',
    types: 'dist/index.d.ts',
    files: ['dist', 'README.md'],
    engines: { node: '>=22' },
    dependencies,
  };
}

/** Package names the compiled JS requires (`require("x")`, `require("@s/x/deep")` → `@s/x`). */
async function requiredPackages(dir: string): Promise<Set<string>> {
  const found = new Set<string>();
  const builtins = new Set(builtinModules);
  for (const entry of await readdir(dir, {
    recursive: true,
    withFileTypes: true,
  })) {
    if (!entry.isFile() || !entry.name.endsWith('.js')) continue;
    const text = await readFile(
      path.join(entry.parentPath, entry.name),
      'utf8',
    );
    for (const [, specifier] of text.matchAll(/require\("([^"./][^"]*)"\)/g)) {
      const parts = specifier.split('/');
      const name = specifier.startsWith('@')
        ? parts.slice(0, 2).join('/')
        : parts[0];
      if (!name.startsWith('node:') && !builtins.has(name)) found.add(name);
    }
  }
  return found;
}

async function serve(
  tarball: Tarball,
): Promise<{ url: string; close(): Promise<void> }> {
  const { name } = tarball.manifest;
  const [scope, bare] = name.split('/');
  let url = '';
  const packumentPath = `/${scope}%2f${bare}`;
  const tarballPath = `/${name}/-/${tarball.fileName}`;
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const requested = (req.url ?? '').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD')
      return send(res, 405, 'text/plain', 'method not allowed');
    if (requested.toLowerCase() === packumentPath) {
      return send(
        res,
        200,
        'application/json',
        JSON.stringify(packument(tarball, `${url}${tarballPath.slice(1)}`)),
      );
    }
    if (requested === tarballPath)
      return send(res, 200, 'application/octet-stream', tarball.bytes);
    return send(
      res,
      404,
      'application/json',
      JSON.stringify({ error: `${requested} is not served here` }),
    );
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  return {
    url,
    close: () =>
      new Promise<void>(resolve => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function packument(tarball: Tarball, tarballUrl: string) {
  const { manifest } = tarball;
  return {
    name: manifest.name,
    'dist-tags': { latest: manifest.version },
    versions: {
      [manifest.version]: {
        ...manifest,
        _id: `${manifest.name}@${manifest.version}`,
        dist: {
          tarball: tarballUrl,
          shasum: createHash('sha1').update(tarball.bytes).digest('hex'),
          integrity: `sha512-${createHash('sha512')
            .update(tarball.bytes)
            .digest('base64')}`,
        },
      },
    },
  };
}

function send(
  res: ServerResponse,
  status: number,
  type: string,
  body: string | Buffer,
): void {
  res.writeHead(status, {
    'content-type': type,
    'content-length': Buffer.byteLength(body),
  });
  res.end(body);
}
