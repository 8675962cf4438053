import { execFile } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs/promises';
import type { AddressInfo, Server } from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import type { LoggerService } from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { tempDir } from '@paver/test-utils';
import express from 'express';
import { paverPackageRegistryModule } from '../modules/packageRegistryModule';
import { PackageFolder } from './packageFolder';
import { createPackageRegistryRouter } from './registryRouter';

const run = promisify(execFile);

const silentLogger = {
  warn: () => {},
  info: () => {},
  error: () => {},
  debug: () => {},
  child: () => silentLogger,
} as unknown as LoggerService;

/**
 * An environment for npm as a developer's shell gives it, minus their own settings: this Node
 * first on PATH, a fresh home and cache. The home's user config turns off audit, fund and the
 * update check, the only requests npm would send to the public registry; the project's `.npmrc`
 * stays exactly a generated one.
 */
async function npmEnv(): Promise<NodeJS.ProcessEnv> {
  const home = await tempDir('npm-home-');
  await fs.writeFile(
    path.join(home, '.npmrc'),
    'audit=false\nfund=false\nupdate-notifier=false\n',
  );
  const env: NodeJS.ProcessEnv = {
    PATH: `${path.dirname(process.execPath)}${path.delimiter}${
      process.env.PATH
    }`,
    HOME: home,
    npm_config_cache: await tempDir('npm-cache-'),
  };
  for (const certs of ['NODE_EXTRA_CA_CERTS', 'SSL_CERT_FILE']) {
    if (process.env[certs]) env[certs] = process.env[certs];
  }
  return env;
}

async function npm(args: string[], cwd: string): Promise<string> {
  const { stdout } = await run('npm', args, {
    cwd,
    env: await npmEnv(),
    maxBuffer: 1 << 24,
  });
  return stdout;
}

/** `npm pack`s a package of `index.js` into `destination`; what npm says it wrote. */
async function npmPack(
  destination: string,
  version: string,
  index = `module.exports = 'hello from ${version}';\n`,
): Promise<{ filename: string; integrity: string }> {
  const source = await tempDir('npm-package-');
  await fs.writeFile(
    path.join(source, 'package.json'),
    JSON.stringify({ name: '@paver/hello', version, main: 'index.js' }),
  );
  await fs.writeFile(path.join(source, 'index.js'), index);
  const [packed] = JSON.parse(
    await npm(['pack', '--json', '--pack-destination', destination], source),
  ) as Array<{ filename: string; integrity: string }>;
  return packed;
}

// Backstage's error handler in the two ways that matter here: the status from the error's name
// and the `{ error: { name, message } }` body.
const backstageLikeErrors: express.ErrorRequestHandler = (
  error,
  _req,
  res,
  _next,
) => {
  res
    .status(error.name === 'NotFoundError' ? 404 : 500)
    .json({ error: { name: error.name, message: error.message } });
};

/** The router mounted under `/api/scaffolder` as the backend mounts it, on a real port. */
async function serve(folder: PackageFolder) {
  const app = express();
  let origin = '';
  app.use(
    '/api/scaffolder',
    createPackageRegistryRouter({
      folder,
      externalBaseUrl: async () => `${origin}/api/scaffolder`,
    }),
  );
  app.use((_req, res) => {
    res.status(299).send('left to the scaffolder');
  });
  app.use(backstageLikeErrors);
  const server: Server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    registry: `${origin}/api/scaffolder/paver/npm`,
    close: () => new Promise(resolve => server.close(resolve)),
  };
}

const errorOf = async (response: Response) =>
  ((await response.json()) as { error: { name: string; message: string } })
    .error;

describe('the @paver package registry', () => {
  let dir: string;
  let folder: PackageFolder;
  let registry: string;
  let close: () => Promise<unknown>;
  let packed: { filename: string; integrity: string };
  beforeAll(async () => {
    dir = await tempDir('npm-registry-');
    packed = await npmPack(dir, '1.2.0');
    await npmPack(dir, '1.3.0-beta.1');
    folder = new PackageFolder(dir, silentLogger);
    ({ registry, close } = await serve(folder));
  });
  afterAll(() => close());

  describe('for npm', () => {
    it('lets a plain npm install, then npm ci, install @paver/hello with no token', async () => {
      const project = await tempDir('npm-consumer-');
      await fs.writeFile(
        path.join(project, '.npmrc'),
        `@paver:registry=${registry}/\n`,
      );
      await fs.writeFile(
        path.join(project, 'package.json'),
        JSON.stringify({
          name: 'consumer',
          version: '1.0.0',
          private: true,
          dependencies: { '@paver/hello': '^1.0.0' },
        }),
      );
      const requireHello = async () =>
        (
          await run(
            process.execPath,
            ['-e', "process.stdout.write(require('@paver/hello'))"],
            { cwd: project },
          )
        ).stdout;

      await npm(['install'], project);
      expect(await requireHello()).toBe('hello from 1.2.0');
      const served = (await folder.versions('@paver/hello')).get('1.2.0')!;
      expect(served.integrity).toBe(packed.integrity);
      const lock = JSON.parse(
        await fs.readFile(path.join(project, 'package-lock.json'), 'utf8'),
      );
      expect(lock.packages['node_modules/@paver/hello']).toMatchObject({
        version: '1.2.0',
        resolved: `${registry}/@paver/hello/-/hello-1.2.0.tgz`,
        integrity: served.integrity,
      });

      await fs.rm(path.join(project, 'node_modules'), { recursive: true });
      await npm(['ci'], project);
      expect(await requireHello()).toBe('hello from 1.2.0');
    }, 120_000);

    it('keeps latest on the highest stable version when a prerelease is added', async () => {
      const packument = await (
        await fetch(`${registry}/@paver%2fhello`)
      ).json();
      expect(packument['dist-tags']).toEqual({ latest: '1.2.0' });
      expect(Object.keys(packument.versions)).toEqual([
        '1.2.0',
        '1.3.0-beta.1',
      ]);
    });
  });

  describe('its routes', () => {
    it('answers the same packument for the encoded and the plain name', async () => {
      const responses = await Promise.all(
        ['@paver%2fhello', '@paver%2Fhello', '@paver/hello'].map(name =>
          fetch(`${registry}/${name}`),
        ),
      );
      for (const response of responses) {
        expect(response.status).toBe(200);
        expect(response.headers.get('content-type')).toMatch(
          /^application\/json/,
        );
      }
      const [encoded, ...others] = await Promise.all(
        responses.map(r => r.json()),
      );
      for (const other of others) expect(other).toEqual(encoded);
      expect(encoded.name).toBe('@paver/hello');
      expect(encoded.versions['1.2.0'].dist).toEqual({
        tarball: `${registry}/@paver/hello/-/hello-1.2.0.tgz`,
        shasum: expect.stringMatching(/^[0-9a-f]{40}$/),
        integrity: packed.integrity,
      });
    });

    it('sends the tarball bytes', async () => {
      const response = await fetch(
        `${registry}/@paver/hello/-/hello-1.2.0.tgz`,
      );
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe(
        'application/octet-stream',
      );
      expect(Buffer.from(await response.arrayBuffer())).toEqual(
        await fs.readFile(path.join(dir, packed.filename)),
      );
    });

    it('answers HEAD for a packument and a tarball, without a body', async () => {
      for (const url of [
        `${registry}/@paver%2fhello`,
        `${registry}/@paver/hello/-/hello-1.2.0.tgz`,
      ]) {
        const response = await fetch(url, { method: 'HEAD' });
        expect(response.status).toBe(200);
        expect(Number(response.headers.get('content-length'))).toBeGreaterThan(
          0,
        );
        expect(await response.text()).toBe('');
      }
    });

    it('answers not found, naming the package, for a @paver package it does not hold', async () => {
      for (const name of ['@paver%2fnope', '@paver/nope']) {
        const response = await fetch(`${registry}/${name}`);
        expect(response.status).toBe(404);
        expect(await errorOf(response)).toEqual({
          name: 'NotFoundError',
          message: 'no package @paver/nope in this registry',
        });
      }
    });

    it('answers not found for a version it does not hold', async () => {
      const response = await fetch(
        `${registry}/@paver/hello/-/hello-9.9.9.tgz`,
      );
      expect(response.status).toBe(404);
      expect((await errorOf(response)).message).toBe(
        'no tarball hello-9.9.9.tgz of @paver/hello in this registry',
      );
    });

    it.each([
      'left-pad',
      '@other%2fthing',
      '@other/thing',
      '@other/thing/-/thing-1.0.0.tgz',
    ])('says it serves only @paver packages when asked for %s', async name => {
      const response = await fetch(`${registry}/${name}`);
      expect(response.status).toBe(404);
      expect((await errorOf(response)).message).toMatch(
        /is not here: this registry serves only @paver packages$/,
      );
    });

    it.each([
      '@paver/hello/-/..%2f..%2fetc%2fpasswd',
      '@paver/hello/-/..%2f..%2f..%2f..%2f..%2f..%2fetc%2fpasswd',
      '@paver/hello/-/%2e%2e%2fhello-1.2.0.tgz',
      // The file's real name in the folder: tarballs are found by name@version, not by file.
      '@paver/hello/-/paver-hello-1.2.0.tgz',
      '@paver%2f..%2f..%2fetc/passwd/-/passwd',
      '@paver/hello/-/%zz.tgz',
      '-/v1/search',
    ])('answers not found, reading no file, for %s', async requested => {
      const response = await fetch(`${registry}/${requested}`);
      expect(response.status).toBe(404);
      expect((await errorOf(response)).name).toBe('NotFoundError');
    });

    it('leaves other routes and methods to the scaffolder', async () => {
      const scaffolder = registry.replace(/\/paver\/npm$/, '');
      expect((await fetch(`${scaffolder}/v2/tasks`)).status).toBe(299);
      // `npm publish` is a PUT: publishing is putting a tarball in the folder.
      expect(
        (await fetch(`${registry}/@paver%2fhello`, { method: 'PUT' })).status,
      ).toBe(299);
    });
  });

  it('re-reads a tarball replaced in place', async () => {
    const replacing = await tempDir('npm-registry-');
    const staging = await tempDir('npm-staging-');
    const first = await npmPack(replacing, '2.0.0');
    const second = await npmPack(staging, '2.0.0', "module.exports = 'v2';\n");
    const server = await serve(new PackageFolder(replacing, silentLogger));
    try {
      const integrityServed = async () =>
        (await (await fetch(`${server.registry}/@paver%2fhello`)).json())
          .versions['2.0.0'].dist.integrity;
      expect(await integrityServed()).toBe(first.integrity);

      const file = path.join(replacing, first.filename);
      await fs.copyFile(path.join(staging, second.filename), file);
      const later = new Date(Date.now() + 5_000);
      await fs.utimes(file, later, later);

      expect(second.integrity).not.toBe(first.integrity);
      expect(await integrityServed()).toBe(second.integrity);
      const tarball = await fetch(
        `${server.registry}/@paver/hello/-/hello-2.0.0.tgz`,
      );
      expect(Buffer.from(await tarball.arrayBuffer())).toEqual(
        await fs.readFile(file),
      );
    } finally {
      await server.close();
    }
  });

  it('names both files when two tarballs hold the same version', async () => {
    const twice = await tempDir('npm-registry-');
    const { filename } = await npmPack(twice, '1.0.0');
    await fs.copyFile(path.join(twice, filename), path.join(twice, 'copy.tgz'));
    const server = await serve(new PackageFolder(twice, silentLogger));
    try {
      const response = await fetch(`${server.registry}/@paver%2fhello`);
      expect(response.status).toBe(500);
      expect(await errorOf(response)).toEqual({
        name: 'DuplicatePackageError',
        message: expect.stringContaining(
          `@paver/hello@1.0.0 is in two tarballs in ${twice}: copy.tgz and ${filename}`,
        ),
      });
    } finally {
      await server.close();
    }
  });
});

describe('paverPackageRegistryModule on the scaffolder', () => {
  async function start(packages: Record<string, any>) {
    return startTestBackend({
      features: [
        paverPackageRegistryModule,
        mockServices.rootConfig.factory({ data: { paver: { packages } } }),
        // Requests without a token are anonymous, as on a real backend.
        mockServices.httpAuth.factory({
          defaultCredentials: mockCredentials.none(),
        }),
      ],
    });
  }

  it('serves the folder to npm without a token, with tarball URLs of the scaffolder', async () => {
    const dir = await tempDir('npm-registry-');
    await npmPack(dir, '1.2.0');
    const backend = await start({ local: { dir } });
    try {
      const registry = `http://localhost:${backend.server.port()}/api/scaffolder/paver/npm`;
      const packument = await (
        await fetch(`${registry}/@paver%2fhello`)
      ).json();
      const { tarball } = packument.versions['1.2.0'].dist;
      expect(tarball).toBe(`${registry}/@paver/hello/-/hello-1.2.0.tgz`);
      expect((await fetch(tarball)).status).toBe(200);

      // Backstage's own error handler formats the refusal.
      const response = await fetch(`${registry}/left-pad`);
      expect(response.status).toBe(404);
      expect((await errorOf(response)).name).toBe('NotFoundError');
    } finally {
      await backend.stop();
    }
  });

  it('mounts nothing when the organisation registry is configured', async () => {
    const backend = await start({ registry: 'https://npm.example.com/paver/' });
    try {
      const response = await fetch(
        `http://localhost:${backend.server.port()}/api/scaffolder/paver/npm/@paver%2fhello`,
      );
      // No route took it, so the scaffolder's default policy asked for a token.
      expect(response.status).toBe(401);
    } finally {
      await backend.stop();
    }
  });
});
