import { serveRegistry } from '@paver/plugin-scaffolder-backend-module-paver/testUtils';
import { tempDir } from '@paver/test-utils';
import { packPaverPackages } from '../packages/e2e/src/services/paverPackages';

/**
 * The @paver packages as packed now, served as the portal's registry serves them, for benches
 * that install rendered services without a portal.
 */
export async function servePaverPackages() {
  const packagesDir = await tempDir('paver-bench-packages-');
  await packPaverPackages(packagesDir);
  return serveRegistry(packagesDir);
}
