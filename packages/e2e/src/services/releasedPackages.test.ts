import { existsSync, readFileSync } from 'node:fs';
import { readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { tempDir } from '@paver/test-utils';
import { REPO_ROOT } from '../backend/backendProcess';
import { packPaverPackages } from './paverPackages';

// The tarball the slo workspace packs to now, whatever its version.
const { version } = JSON.parse(
  readFileSync(path.join(REPO_ROOT, 'packages/slo/package.json'), 'utf8'),
) as { version: string };
const SLO_TARBALL = `@paver-slo-${version}.tgz`;

// The memory of released versions (packages/released/), through the command ./paverw start runs:
// packing serves the versions no workspace packs any more, and refuses a workspace that no longer
// packs to its released bytes.
describe('packing with released versions', () => {
  it('serves a released version the working copy no longer packs, beside the fresh ones', async () => {
    const released = await tempDir('released-');
    await writeFile(path.join(released, '@paver-slo-0.0.9.tgz'), 'old bytes');
    const out = await tempDir('packed-');
    const packed = await packPaverPackages(out, { releasedDir: released });
    expect(packed).toContain(SLO_TARBALL);
    expect(packed).not.toContain('@paver-slo-0.0.9.tgz');
    expect(existsSync(path.join(out, '@paver-slo-0.0.9.tgz'))).toBe(true);
  }, 240_000);

  it('refuses a workspace whose released version it would pack to other bytes, and serves nothing of it', async () => {
    const released = await tempDir('released-');
    await writeFile(
      path.join(released, SLO_TARBALL),
      `the bytes ${version} was released with`,
    );
    const out = await tempDir('packed-');
    await expect(
      packPaverPackages(out, { releasedDir: released }),
    ).rejects.toThrow(
      new RegExp(
        `${SLO_TARBALL.replace(
          /\./g,
          '\\.',
        )} is released \\(.+\\) and its workspace no longer packs to those bytes: bump the package's version, then run yarn templates:lock`,
      ),
    );
    expect(await readdir(out)).not.toContain(SLO_TARBALL);
  }, 240_000);
});
