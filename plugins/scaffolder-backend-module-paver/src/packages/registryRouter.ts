import type { HttpRouterService } from '@backstage/backend-plugin-api';
import { NotFoundError } from '@backstage/errors';
import express from 'express';
import { malformedPathIsNotFound } from '../malformedPath';
import type { PackageFolder, PackageTarball } from './packageFolder';
import { buildPackument, tarballFileName } from './packument';

/** Below the scaffolder's base URL: `<base>/paver/npm/`, the registry a generated `.npmrc` names. */
export const PACKAGE_REGISTRY_ROUTE = '/paver/npm';

const SCOPE = '@paver/';

export interface PackageRegistryRouterOptions {
  /** Where the tarballs are. */
  folder: PackageFolder;
  /** The scaffolder's external base URL, which the packument's tarball URLs start with. */
  externalBaseUrl: () => Promise<string>;
}

/**
 * Serves the @paver tarballs of a folder as an npm registry, read-only: the packument at
 * `/@paver%2f<name>` (how npm asks) and `/@paver/<name>` (how other clients ask), the tarball at
 * `/@paver/<name>/-/<name>-<version>.tgz`. A tarball is found by name and version in the folder's
 * index, never by turning the URL into a path. Any other name is not found, saying this registry
 * holds only @paver packages. GET (and so HEAD) only.
 */
export function createPackageRegistryRouter({
  folder,
  externalBaseUrl,
}: PackageRegistryRouterOptions): express.Router {
  const router = express.Router();
  const sendPackument = async (name: string, res: express.Response) => {
    const tarballs = [...(await servedVersions(folder, name)).values()];
    const base = `${await externalBaseUrl()}${PACKAGE_REGISTRY_ROUTE}`;
    const packument = buildPackument(
      name,
      tarballs,
      m => `${base}/${m.name}/-/${tarballFileName(m.name, m.version)}`,
    );
    // Revalidate every time (the ETag makes it cheap): a tarball packed a second ago is served.
    res.setHeader('cache-control', 'no-cache');
    res.json(packument);
  };

  // Express has decoded the parameters: `@paver%2fhello` arrives as `@paver/hello`.
  router.get(`${PACKAGE_REGISTRY_ROUTE}/:name`, (req, res, next) =>
    sendPackument(req.params.name, res).catch(next),
  );
  router.get(`${PACKAGE_REGISTRY_ROUTE}/:scope/:name`, (req, res, next) =>
    sendPackument(`${req.params.scope}/${req.params.name}`, res).catch(next),
  );
  router.get(
    `${PACKAGE_REGISTRY_ROUTE}/:scope/:name/-/:file`,
    async (req, res, next) => {
      try {
        const { scope, name, file } = req.params;
        const tarball = await findTarball(folder, `${scope}/${name}`, file);
        res.setHeader('content-type', 'application/octet-stream');
        res.send(await folder.bytes(tarball));
      } catch (error) {
        next(error);
      }
    },
  );
  router.get(`${PACKAGE_REGISTRY_ROUTE}/*`, (req, _res, next) =>
    next(
      new NotFoundError(
        `${req.path} is not served by the @paver package registry`,
      ),
    ),
  );
  router.use(malformedPathIsNotFound);
  return router;
}

/**
 * Mounts the registry on the scaffolder's router. Unauthenticated because npm sends no Backstage
 * token, the same reason as the local git remote; only mounted on embedded defaults (no
 * `paver.packages.registry`), where it serves packages built from this repository.
 */
export function installPackageRegistry(
  httpRouter: HttpRouterService,
  router: express.Router,
): void {
  httpRouter.use(router);
  httpRouter.addAuthPolicy({
    path: PACKAGE_REGISTRY_ROUTE,
    allow: 'unauthenticated',
  });
}

/** The versions of a @paver package in the folder; NotFoundError for none or another scope. */
async function servedVersions(
  folder: PackageFolder,
  name: string,
): Promise<Map<string, PackageTarball>> {
  // Said plainly, so nobody expects this registry to proxy the public one.
  if (!name.startsWith(SCOPE)) {
    throw new NotFoundError(
      `${name} is not here: this registry serves only @paver packages`,
    );
  }
  const versions = await folder.versions(name);
  if (versions.size === 0) {
    throw new NotFoundError(`no package ${name} in this registry`);
  }
  return versions;
}

/** The tarball whose URL file name is `file`, looked up among the versions the folder holds. */
async function findTarball(
  folder: PackageFolder,
  name: string,
  file: string,
): Promise<PackageTarball> {
  const versions = await servedVersions(folder, name);
  const tarball = [...versions.values()].find(
    t => tarballFileName(name, t.manifest.version) === file,
  );
  if (!tarball) {
    throw new NotFoundError(`no tarball ${file} of ${name} in this registry`);
  }
  return tarball;
}
