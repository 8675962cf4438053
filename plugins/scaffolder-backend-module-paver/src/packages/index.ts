export {
  PackageFolder,
  DuplicatePackageError,
  PAVER_PACKAGE_NAME,
  type PackageManifest,
  type PackageTarball,
} from './packageFolder';
export {
  buildPackument,
  latestVersion,
  tarballFileName,
  type Packument,
  type PackumentVersion,
} from './packument';
export {
  PACKAGE_REGISTRY_ROUTE,
  createPackageRegistryRouter,
  installPackageRegistry,
  type PackageRegistryRouterOptions,
} from './registryRouter';
export {
  readPackagesConfig,
  npmRegistryUrl,
  type PackagesConfig,
} from './packagesConfig';
