import fs from 'node:fs';
import path from 'node:path';
import { makeTemplateRepo, tempDirSync, templateYaml } from '@paver/test-utils';
import {
  backendTemplateReleases,
  templateReleasesFromConfig,
} from './backendReleases';

const tiny = (version: string) => ({
  version,
  files: { 'template.yaml': templateYaml('tiny', version) },
});

/** A release repository, and a copy of its templates without git history, as an image has. */
function imageOf() {
  const root = makeTemplateRepo('tiny', [tiny('1.0.0'), tiny('1.1.0')]);
  const image = tempDirSync('paver-image-');
  fs.cpSync(root, path.join(image, 'templates'), { recursive: true });
  return { repoDir: path.dirname(root), root, image };
}

describe('backendTemplateReleases', () => {
  it('reads the checkout holding the templates when no repository is configured', async () => {
    const { root } = imageOf();
    const releases = backendTemplateReleases({ templatesDir: root });
    expect(await releases.versions('tiny')).toEqual(['1.0.0', '1.1.0']);
  });

  it('mirrors the configured repository on first read, and keeps the mirror when the git host is away', async () => {
    const { repoDir, image } = imageOf();
    const mirrorDir = path.join(image, '.paver-data', 'releases.git');
    const releases = backendTemplateReleases({
      templatesDir: path.join(image, 'templates'),
      repository: repoDir,
      mirrorDir,
      refreshMs: 0,
    });
    expect(fs.existsSync(mirrorDir)).toBe(false);
    expect(await releases.versions('tiny')).toEqual(['1.0.0', '1.1.0']);
    expect(fs.existsSync(path.join(mirrorDir, 'HEAD'))).toBe(true);

    fs.renameSync(repoDir, `${repoDir}-away`);
    try {
      expect((await releases.load('tiny', '1.0.0')).version).toBe('1.0.0');
    } finally {
      fs.renameSync(`${repoDir}-away`, repoDir);
    }
  });

  it('reads its settings from config, one mirror per reading plugin', async () => {
    const { repoDir, image } = imageOf();
    const config = (values: Record<string, string>) => ({
      getOptionalString: (key: string) => values[key],
    });
    const releases = templateReleasesFromConfig(
      config({
        'paver.templates.dir': 'templates',
        'paver.templates.releases.repository': repoDir,
      }),
      'catalog',
      image,
    );
    expect(await releases.versions('tiny')).toEqual(['1.0.0', '1.1.0']);
    expect(
      fs.existsSync(
        path.join(image, '.paver-data/template-releases/catalog.git/HEAD'),
      ),
    ).toBe(true);
  });
});
