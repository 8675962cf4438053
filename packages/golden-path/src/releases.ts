import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import semver from 'semver';
import { ReleaseNotFoundError } from './errors';
import { loadTemplate, type LoadedTemplate } from './template';

const run = promisify(execFile);

/** The git tag that marks a release of a golden path: `billing-service@2.0.0`. */
export const releaseTag = (name: string, version: string) =>
  `${name}@${version}`;

/** Where {@link TemplateReleases} reads releases from. */
export interface TemplateReleasesOptions {
  /** A git repository (work tree or bare) holding the templates and their release tags. */
  repoDir: string;
  /** The templates folder inside that repository. @default 'templates' */
  templatesPath?: string;
}

/**
 * Released versions of golden paths, read from the tags of the repository that holds them, the
 * way Copier reads a template's tags: a release is immutable and needs no developer checkout. A
 * release is extracted once (into the repository's git folder, keyed by the tagged commit) and
 * loaded like any template.
 */
export class TemplateReleases {
  private readonly loaded = new Map<string, Promise<LoadedTemplate>>();
  private readonly templatesPath: string;

  constructor(private readonly options: TemplateReleasesOptions) {
    this.templatesPath = options.templatesPath ?? 'templates';
  }

  /** Released versions of `name`, oldest first. */
  async versions(name: string): Promise<string[]> {
    const { stdout } = await this.git(['tag', '--list', `${name}@*`]);
    return stdout
      .split('\n')
      .map(tag => tag.slice(name.length + 1))
      .filter(version => semver.valid(version) !== null)
      .sort(semver.compare);
  }

  /** The newest release of `name` older than `version`, if there is one. */
  async previous(name: string, version: string): Promise<string | undefined> {
    const older = (await this.versions(name)).filter(v =>
      semver.lt(v, version),
    );
    return older.at(-1);
  }

  /** The release `name@version`, loaded; throws ReleaseNotFoundError naming the tag. */
  load(name: string, version: string): Promise<LoadedTemplate> {
    const tag = releaseTag(name, version);
    let pending = this.loaded.get(tag);
    if (!pending) {
      pending = this.extract(name, tag).then(loadTemplate);
      pending.catch(() => this.loaded.delete(tag));
      this.loaded.set(tag, pending);
    }
    return pending;
  }

  private async extract(name: string, tag: string): Promise<string> {
    const commit = await this.commitOf(tag);
    const { stdout } = await this.git(['rev-parse', '--git-common-dir']);
    const cache = path.resolve(
      this.options.repoDir,
      stdout.trim(),
      'paver',
      'releases',
      `${tag}-${commit.slice(0, 12)}`,
    );
    const templateDir = path.join(cache, this.templatesPath, name);
    if (await exists(templateDir)) return templateDir;
    const staging = await fs.mkdtemp(`${cache}.tmp-`).catch(async () => {
      await fs.mkdir(path.dirname(cache), { recursive: true });
      return fs.mkdtemp(`${cache}.tmp-`);
    });
    try {
      const templatePath = `${this.templatesPath}/${name}`;
      const paths = await this.existing(commit, [
        templatePath,
        `${this.templatesPath}/_fragments`,
      ]);
      if (!paths.includes(templatePath)) {
        throw new ReleaseNotFoundError(`${tag} has no ${templatePath}`);
      }
      await this.archive(commit, staging, paths);
      await fs.rename(staging, cache);
    } catch (error) {
      await fs.rm(staging, { recursive: true, force: true });
      // Another process extracted the same release first: theirs is as good as ours.
      if (await exists(templateDir)) return templateDir;
      throw error;
    }
    return templateDir;
  }

  private async commitOf(tag: string): Promise<string> {
    try {
      const { stdout } = await this.git([
        'rev-parse',
        '--verify',
        '--quiet',
        `refs/tags/${tag}^{commit}`,
      ]);
      return stdout.trim();
    } catch {
      const known = await this.git(['tag', '--list', `${tag.split('@')[0]}@*`]);
      throw new ReleaseNotFoundError(
        `no release ${tag} in ${this.options.repoDir} (released: ${
          known.stdout.trim().split('\n').filter(Boolean).join(', ') || 'none'
        })`,
      );
    }
  }

  /** The paths that exist at `commit` (a template may use no fragments). */
  private async existing(commit: string, paths: string[]) {
    const { stdout } = await this.git([
      'ls-tree',
      '--name-only',
      commit,
      '--',
      ...paths,
    ]);
    return stdout.split('\n').filter(Boolean);
  }

  /** `git archive <commit> <paths> | tar -x`, so modes come out as git stored them. */
  private archive(commit: string, dest: string, paths: string[]) {
    return new Promise<void>((resolve, reject) => {
      const git = spawn('git', ['archive', '--format=tar', commit, ...paths], {
        cwd: this.options.repoDir,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const tar = spawn('tar', ['-x', '-C', dest], {
        stdio: ['pipe', 'ignore', 'pipe'],
      });
      let stderr = '';
      git.stderr.on('data', d => (stderr += d));
      tar.stderr.on('data', d => (stderr += d));
      git.stdout.pipe(tar.stdin);
      const codes: number[] = [];
      const done = (code: number | null) => {
        codes.push(code ?? 1);
        if (codes.length < 2) return;
        if (codes.every(c => c === 0)) resolve();
        else
          reject(
            new ReleaseNotFoundError(
              `could not read ${paths.join(
                ', ',
              )} at ${commit}: ${stderr.trim()}`,
            ),
          );
      };
      git.on('error', reject).on('close', done);
      tar.on('error', reject).on('close', done);
    });
  }

  private git(args: string[]) {
    return run('git', args, { cwd: this.options.repoDir });
  }
}

async function exists(p: string): Promise<boolean> {
  return fs.stat(p).then(
    () => true,
    () => false,
  );
}
