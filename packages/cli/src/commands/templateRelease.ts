import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import {
  loadTemplate,
  releaseTag,
  renderToMemory,
  TemplateReleases,
  type LoadedTemplate,
  type PlatformSettings,
} from '@paver/golden-path';
import { readAnswersFile } from '../answers';
import { ReleaseCheckError } from '../errors';
import { CliIo, step } from '../io';
import { templateTest } from './templateTest';

const run = promisify(execFile);

/** Options of `paver template release`. */
export interface TemplateReleaseOptions {
  templatesRoot: string;
  name: string;
  version: string;
  platform: PlatformSettings;
}

/**
 * `paver template release <name> <version>`: checks that template.yaml carries the version, the
 * CHANGELOG has its entry, it is newer than every release, the template is committed and its
 * fixtures render, runs `paver template test` (upgrade path included), then tags the commit
 * `<name>@<version>` and records it in the templates' releases file, committed on its own: tag
 * and file name the release services record and `paver upgrade` reads, and the file reaches
 * clones that fetch no tags.
 */
export async function templateRelease(
  options: TemplateReleaseOptions,
  io: CliIo,
): Promise<void> {
  const root = path.resolve(options.templatesRoot);
  const repoDir = path.dirname(root);
  const template = loadTemplate(path.join(root, options.name));
  const tag = releaseTag(template.name, options.version);
  const releases = new TemplateReleases({
    repoDir,
    templatesPath: path.basename(root),
  });
  checkVersion(template, options.version);
  checkChangelog(template, options.version);
  await checkNewer(releases, template, options.version);
  await checkCommitted(repoDir, [
    path.relative(repoDir, template.dir),
    path.relative(repoDir, path.join(root, '_fragments')),
    path.relative(repoDir, releases.releasesFile()),
  ]);
  checkFixtures(template, options.platform);
  step(io, `${tag}: version, changelog, commit and fixtures checked`);
  await templateTest(root, [template.name], options.platform, io);
  const git = (...args: string[]) => run('git', args, { cwd: repoDir });
  const commit = (await git('rev-parse', 'HEAD')).stdout.trim();
  await git('tag', '-a', tag, '-m', `${template.name} ${options.version}`);
  await releases.record(template.name, options.version, commit);
  const file = path.relative(repoDir, releases.releasesFile());
  await git('add', '--', file);
  await git('commit', '-q', '-m', `Release ${tag}`, '--', file);
  step(
    io,
    `tagged ${tag} at ${commit.slice(
      0,
      7,
    )} and recorded it in ${file}; publish both with: git push origin HEAD ${tag}`,
  );
}

function checkVersion(template: LoadedTemplate, version: string) {
  if (template.version !== version) {
    throw new ReleaseCheckError(
      `${template.name}/template.yaml says version ${template.version}; set metadata.annotations["paver.dev/template-version"] to ${version} first`,
    );
  }
}

function checkChangelog(template: LoadedTemplate, version: string) {
  const file = path.join(template.dir, 'CHANGELOG.md');
  const text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined;
  if (text === undefined) {
    throw new ReleaseCheckError(`${template.name}/CHANGELOG.md is missing`);
  }
  const escaped = version.replace(/\./g, '\\.');
  if (!new RegExp(`^## \\[?${escaped}\\]?(\\s|$)`, 'm').test(text)) {
    throw new ReleaseCheckError(
      `${template.name}/CHANGELOG.md has no "## ${version}" entry saying what changed`,
    );
  }
}

async function checkNewer(
  releases: TemplateReleases,
  template: LoadedTemplate,
  version: string,
) {
  const latest = (await releases.versions(template.name)).at(-1);
  // The newest release below `version` is the latest one exactly when `version` is newer.
  if (latest && (await releases.previous(template.name, version)) !== latest) {
    throw new ReleaseCheckError(
      `${releaseTag(
        template.name,
        version,
      )} is not newer than the latest release, ${latest}`,
    );
  }
}

async function checkCommitted(repoDir: string, paths: string[]) {
  const { stdout } = await run(
    'git',
    ['status', '--porcelain', '--', ...paths],
    { cwd: repoDir },
  );
  if (stdout.trim() !== '') {
    throw new ReleaseCheckError(
      `uncommitted changes in ${paths.join(
        ' or ',
      )}; a release is a commit, so commit them first:\n${stdout}`,
    );
  }
}

function checkFixtures(template: LoadedTemplate, platform: PlatformSettings) {
  const fixture = path.join(template.dir, 'fixtures', 'answers.yaml');
  if (!fs.existsSync(fixture)) {
    throw new ReleaseCheckError(
      `${template.name}/fixtures/answers.yaml is missing`,
    );
  }
  renderToMemory(template, readAnswersFile(fixture), { platform });
}
