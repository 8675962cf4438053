import fs from 'node:fs';
import path from 'node:path';
import {
  gitIn,
  makeTemplateRepo,
  tempDirSync,
  templateYaml,
} from '@paver/test-utils';
import { ReleaseNotFoundError } from './errors';
import { mirrorTemplateRepository, TemplateReleases } from './releases';

const tiny = (version: string) => ({
  version,
  files: { 'template.yaml': templateYaml('tiny', version) },
});

/** tiny 1.0.0 and 1.1.0 released; the repository then loses its tags, as a tagless clone has none. */
function tagless() {
  const root = makeTemplateRepo('tiny', [tiny('1.0.0'), tiny('1.1.0')]);
  const repoDir = path.dirname(root);
  for (const tag of ['tiny@1.0.0', 'tiny@1.1.0'])
    gitIn(repoDir, 'tag', '-d', tag);
  return { root, repoDir, releases: new TemplateReleases({ repoDir }) };
}

describe('TemplateReleases', () => {
  it('reads releases from releases.yaml when the clone carries no tags', async () => {
    const { releases } = tagless();
    expect(await releases.versions('tiny')).toEqual(['1.0.0', '1.1.0']);
    expect(await releases.previous('tiny', '1.1.0')).toBe('1.0.0');
    const loaded = await releases.load('tiny', '1.0.0');
    expect(loaded.version).toBe('1.0.0');
  });

  it('records a release in releases.yaml, keeping the others in version order', async () => {
    const { root, repoDir, releases } = tagless();
    const head = gitIn(repoDir, 'rev-parse', 'HEAD').trim();
    await releases.record('tiny', '1.10.0', head);
    await releases.record('other', '0.1.0', head);
    expect(await releases.versions('tiny')).toEqual([
      '1.0.0',
      '1.1.0',
      '1.10.0',
    ]);
    const text = fs.readFileSync(path.join(root, 'releases.yaml'), 'utf8');
    expect(text.indexOf('other:')).toBeLessThan(text.indexOf('tiny:'));
    expect(text.indexOf('1.1.0')).toBeLessThan(text.indexOf('1.10.0'));
  });

  it('names the releases file and the commit when the clone lacks the recorded commit', async () => {
    const { repoDir, releases } = tagless();
    await releases.record('tiny', '2.0.0', 'f'.repeat(40));
    const error = await releases.load('tiny', '2.0.0').catch(e => e);
    expect(error).toBeInstanceOf(ReleaseNotFoundError);
    expect(error.message).toBe(
      `releases.yaml names ${'f'.repeat(
        40,
      )} for tiny@2.0.0, which this clone does not have in ${repoDir} (released: tiny@1.0.0, tiny@1.1.0, tiny@2.0.0)`,
    );
  });

  it('names the released versions when asked for one that is not', async () => {
    const { releases } = tagless();
    await expect(releases.load('tiny', '3.0.0')).rejects.toThrow(
      /^no release tiny@3\.0\.0 in .* \(released: tiny@1\.0\.0, tiny@1\.1\.0\)$/,
    );
  });

  it('refuses a releases file that is not a map of versions to commits', async () => {
    const { root, releases } = tagless();
    fs.writeFileSync(
      path.join(root, 'releases.yaml'),
      'tiny:\n  1.0.0: [main]\n',
    );
    await expect(releases.versions('tiny')).rejects.toThrow(
      `${path.join(
        root,
        'releases.yaml',
      )} must map each golden path to { <version>: <commit> }`,
    );
  });
});

describe('mirrorTemplateRepository', () => {
  it('gives a backend without the git history every release, and the new ones on update', async () => {
    const { repoDir } = tagless();
    const mirror = path.join(tempDirSync('paver-mirror-'), 'templates.git');
    await mirrorTemplateRepository(repoDir, mirror);
    // Bare: the releases file is read at HEAD, there is no work tree.
    const releases = new TemplateReleases({ repoDir: mirror });
    expect(await releases.versions('tiny')).toEqual(['1.0.0', '1.1.0']);
    expect((await releases.load('tiny', '1.1.0')).version).toBe('1.1.0');

    fs.writeFileSync(
      path.join(repoDir, 'templates/tiny/template.yaml'),
      templateYaml('tiny', '1.2.0'),
    );
    gitIn(repoDir, 'commit', '-qam', 'tiny 1.2.0');
    const head = gitIn(repoDir, 'rev-parse', 'HEAD').trim();
    await new TemplateReleases({ repoDir }).record('tiny', '1.2.0', head);
    gitIn(repoDir, 'commit', '-qam', 'Release tiny@1.2.0');

    await mirrorTemplateRepository(repoDir, mirror);
    const updated = new TemplateReleases({ repoDir: mirror });
    expect(await updated.versions('tiny')).toEqual(['1.0.0', '1.1.0', '1.2.0']);
    expect((await updated.load('tiny', '1.2.0')).version).toBe('1.2.0');
  });

  it('names the repository it could not clone', async () => {
    const mirror = path.join(tempDirSync('paver-mirror-'), 'templates.git');
    const missing = path.join(tempDirSync('paver-mirror-'), 'nothing-here');
    await expect(mirrorTemplateRepository(missing, mirror)).rejects.toThrow(
      `could not clone the template repository ${missing} into ${mirror}: `,
    );
  });
});
