import type { AddressInfo } from 'node:net';
import express from 'express';
import { PackageFolder, createPackageRegistryRouter } from '../packages';

/** A running registry: `url` is what an `.npmrc` names (`@paver:registry=<url>`). */
export interface LocalRegistry {
  url: string;
  close(): Promise<void>;
}

const log = (message: string) => console.error(`[registry] ${message}`);
const logger = {
  error: log,
  warn: log,
  info: () => {},
  debug: () => {},
  child: () => logger,
};

/**
 * Serves a folder of @paver tarballs on 127.0.0.1 with the portal's own registry router, at the
 * path the portal uses (`/paver/npm/`), for tooling that runs without a portal.
 */
export async function serveRegistry(
  dir: string,
  port = 0,
): Promise<LocalRegistry> {
  const app = express();
  let base = '';
  app.use(
    createPackageRegistryRouter({
      folder: new PackageFolder(dir, logger),
      externalBaseUrl: async () => base,
    }),
  );
  const server = await new Promise<ReturnType<typeof app.listen>>(resolve => {
    const listening = app.listen(port, '127.0.0.1', () => resolve(listening));
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: `${base}/paver/npm/`,
    close: () => new Promise<void>(resolve => server.close(() => resolve())),
  };
}
