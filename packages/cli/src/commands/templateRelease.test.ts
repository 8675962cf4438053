import fs from 'node:fs';
import path from 'node:path';
import {
  makeTemplateRepo,
  TEST_PLATFORM,
  gitIn,
  templateYaml,
} from '@paver/test-utils';
import { ReleaseCheckError } from '../errors';
import { captureIo } from '../__testUtils__/io';
import { templateRelease } from './templateRelease';

// Needs no dependencies, so the release's template test runs npm offline.
const packageJson = (test: string) =>
  JSON.stringify({
    name: '{{values.name}}',
    private: true,
    scripts: { build: 'node -e 0', test },
  });

/** tiny@1.0.0 released; the working copy moved to `version` and committed. */
function repoWithWorkingCopy(
  version: string,
  changelog: string,
  test = 'node -e 0',
) {
  const root = makeTemplateRepo('tiny', [
    {
      version: '1.0.0',
      files: {
        'template.yaml': templateYaml('tiny', '1.0.0'),
        'CHANGELOG.md': '# Changelog\n\n## 1.0.0\n\nFirst.\n',
        'fixtures/answers.yaml': 'name: tiny-svc\n',
        'skeleton/package.json.hbs': packageJson('node -e 0'),
      },
    },
  ]);
  const dir = path.join(root, 'tiny');
  fs.writeFileSync(
    path.join(dir, 'template.yaml'),
    templateYaml('tiny', version),
  );
  fs.writeFileSync(path.join(dir, 'CHANGELOG.md'), changelog);
  fs.writeFileSync(
    path.join(dir, 'skeleton/package.json.hbs'),
    packageJson(test),
  );
  gitIn(path.dirname(root), 'commit', '-qam', `tiny ${version}`);
  return root;
}

const release = (templatesRoot: string, version: string) =>
  templateRelease(
    { templatesRoot, name: 'tiny', version, platform: TEST_PLATFORM },
    captureIo().io,
  );
const tags = (root: string) =>
  gitIn(path.dirname(root), 'tag', '--list').trim().split('\n');
const CHANGELOG_110 =
  '# Changelog\n\n## [1.1.0] - 2026-12-02\n\nSecond.\n\n## 1.0.0\n\nFirst.\n';

describe('paver template release', () => {
  it('tags <name>@<version> and commits it to releases.yaml once every check and the template test (upgrade path included) pass', async () => {
    const root = repoWithWorkingCopy('1.1.0', CHANGELOG_110);
    const { io, output } = captureIo();
    await templateRelease(
      {
        templatesRoot: root,
        name: 'tiny',
        version: '1.1.0',
        platform: TEST_PLATFORM,
      },
      io,
    );
    expect(tags(root)).toEqual(['tiny@1.0.0', 'tiny@1.1.0']);
    expect(output()).toContain('✔ tiny 1.0.0 → 1.1.0: upgraded in');
    expect(output()).toMatch(
      /✔ tagged tiny@1\.1\.0 at [0-9a-f]+ and recorded it in templates\/releases\.yaml; publish both with: git push origin HEAD tiny@1\.1\.0/,
    );
    const repo = path.dirname(root);
    const tagged = gitIn(repo, 'rev-parse', 'tiny@1.1.0^{commit}').trim();
    expect(fs.readFileSync(path.join(root, 'releases.yaml'), 'utf8')).toContain(
      `\n  1.1.0: ${tagged}\n`,
    );
    expect(gitIn(repo, 'status', '--porcelain')).toBe('');
    expect(gitIn(repo, 'log', '-1', '--format=%s %P')).toBe(
      `Release tiny@1.1.0 ${tagged}\n`,
    );
  });

  it.each([
    [
      'template.yaml has another version',
      '1.2.0',
      CHANGELOG_110,
      /template\.yaml says version 1\.1\.0; set .* to 1\.2\.0 first/,
    ],
    [
      'the changelog has no entry',
      '1.1.0',
      '# Changelog\n\n## 1.0.0\n',
      /CHANGELOG\.md has no "## 1\.1\.0" entry/,
    ],
  ])(
    'refuses when %s, and tags nothing',
    async (_, asked, changelog, message) => {
      const root = repoWithWorkingCopy('1.1.0', changelog);
      const recorded = fs.readFileSync(path.join(root, 'releases.yaml'));
      await expect(release(root, asked)).rejects.toThrow(message);
      expect(tags(root)).toEqual(['tiny@1.0.0']);
      expect(fs.readFileSync(path.join(root, 'releases.yaml'))).toEqual(
        recorded,
      );
    },
  );

  it('refuses a version that is not newer than the latest release', async () => {
    const root = repoWithWorkingCopy('1.0.0', '# Changelog\n\n## 1.0.0\n');
    await expect(release(root, '1.0.0')).rejects.toThrow(
      'tiny@1.0.0 is not newer than the latest release, 1.0.0',
    );
  });

  it('refuses uncommitted changes to the template', async () => {
    const root = repoWithWorkingCopy('1.1.0', CHANGELOG_110);
    fs.writeFileSync(
      path.join(root, 'tiny/skeleton/extra.txt'),
      'not committed',
    );
    await expect(release(root, '1.1.0')).rejects.toBeInstanceOf(
      ReleaseCheckError,
    );
    await expect(release(root, '1.1.0')).rejects.toThrow(
      /uncommitted changes in templates\/tiny/,
    );
  });

  it('tags nothing when the template test fails', async () => {
    const root = repoWithWorkingCopy(
      '1.1.0',
      CHANGELOG_110,
      'node -e "process.exit(4)"',
    );
    const error = (await release(root, '1.1.0').catch(e => e)) as Error;
    expect(error.message).toMatch(/"npm test" failed with exit code 4/);
    expect(tags(root)).toEqual(['tiny@1.0.0']);
    // The failed render is kept for the engineer; this test removes what it kept.
    const kept = /\(kept in (.+)\)$/.exec(error.message)![1];
    fs.rmSync(path.dirname(kept), { recursive: true, force: true });
  });
});
