import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import semver from 'semver';
import { stringify } from 'yaml';
import { ReleaseNotFoundError } from './errors';
import { loadTemplate, type LoadedTemplate } from './template';
import { parseYamlSafe } from './yaml';

const run = promisify(execFile);

/** The git tag that marks a release of a golden path: `billing-service@2.0.0`. */
export const releaseTag = (name: string, version: string) =>
  `${name}@${version}`;

/**
 * The file in the templates folder that records every release as `<name>: { <version>: <commit> }`.
 * Tags mark releases too, but a clone or a push of a branch carries no tags; the file travels
 * with every commit after the release.
 */
export const RELEASES_FILE = 'releases.yaml';

type ReleaseCommits = Record<string, Record<string, string>>;

/** Where {@link TemplateReleases} reads releases from. */
export interface TemplateReleasesOptions {
  /**
   * The git repository holding the templates, their releases file and release tags: a work tree,
   * or a bare mirror of one ({@link mirrorTemplateRepository}).
   */
  repoDir: string;
  /** The templates folder inside that repository. @default 'templates' */
  templatesPath?: string;
  /** Runs before releases are listed or resolved: how a mirror is kept current. */
  beforeRead?: () => Promise<void>;
}

/**
 * Released versions of golden paths, read from the repository that holds them: its
 * `<name>@<version>` tags, the way Copier reads a template's tags, and its {@link RELEASES_FILE},
 * which names the same commits and survives a clone without tags. A release is immutable and
 * needs no developer checkout: it is extracted once (into the repository's git folder, keyed by
 * its commit) and loaded like any template.
 */
export class TemplateReleases {
  private readonly loaded = new Map<string, Promise<LoadedTemplate>>();
  private readonly templatesPath: string;

  constructor(private readonly options: TemplateReleasesOptions) {
    this.templatesPath = options.templatesPath ?? 'templates';
  }

  /** Released versions of `name`, oldest first. */
  async versions(name: string): Promise<string[]> {
    await this.options.beforeRead?.();
    const { stdout } = await this.git(['tag', '--list', `${name}@*`]);
    const tagged = stdout.split('\n').map(tag => tag.slice(name.length + 1));
    const recorded = Object.keys((await this.recorded())[name] ?? {});
    return [...new Set([...tagged, ...recorded])]
      .filter(version => semver.valid(version) !== null)
      .sort(semver.compare);
  }

  /** Adds `name@version` at `commit` to the releases file (the caller commits it). */
  async record(name: string, version: string, commit: string): Promise<void> {
    const releases = await this.recorded();
    releases[name] = { ...releases[name], [version]: commit };
    const sorted = Object.fromEntries(
      Object.keys(releases)
        .sort()
        .map(n => [n, sortVersions(releases[n])]),
    );
    await fs.writeFile(
      this.releasesFile(),
      `# Every release of a golden path and the commit it is; written by \`paver template release\`.\n${stringify(
        sorted,
      )}`,
    );
  }

  /** The path of the releases file. */
  releasesFile(): string {
    return path.join(this.options.repoDir, this.templatesPath, RELEASES_FILE);
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
    const commit = await this.commitOf(name, tag);
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

  private async commitOf(name: string, tag: string): Promise<string> {
    await this.options.beforeRead?.();
    const version = tag.slice(name.length + 1);
    const recorded = (await this.recorded())[name]?.[version];
    for (const ref of [`refs/tags/${tag}`, recorded]) {
      if (!ref) continue;
      const commit = await this.git([
        'rev-parse',
        '--verify',
        '--quiet',
        `${ref}^{commit}`,
      ]).then(
        ({ stdout }) => stdout.trim(),
        () => undefined,
      );
      if (commit) return commit;
    }
    const missing = recorded
      ? `${RELEASES_FILE} names ${recorded} for ${tag}, which this clone does not have`
      : `no release ${tag}`;
    throw new ReleaseNotFoundError(
      `${missing} in ${this.options.repoDir} (released: ${
        (await this.versions(name)).map(v => releaseTag(name, v)).join(', ') ||
        'none'
      })`,
    );
  }

  /** The releases file, parsed; an absent file records nothing. */
  private async recorded(): Promise<ReleaseCommits> {
    const file = this.releasesFile();
    // A work tree's file, else (a bare mirror, as a production backend keeps) the one at HEAD.
    const text =
      (await fs.readFile(file, 'utf8').catch(() => undefined)) ??
      (await this.git([
        'show',
        `HEAD:${this.templatesPath}/${RELEASES_FILE}`,
      ]).then(
        ({ stdout }) => stdout,
        () => undefined,
      ));
    if (text === undefined) return {};
    const parsed = parseYamlSafe(text, {
      label: file,
      errorType: ReleaseNotFoundError,
    });
    if (parsed === null || parsed === undefined) return {};
    if (!isReleaseCommits(parsed)) {
      throw new ReleaseNotFoundError(
        `${file} must map each golden path to { <version>: <commit> }`,
      );
    }
    return parsed;
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

/**
 * Keeps a bare mirror of the repository that holds the golden paths at `dir` (cloned on first
 * use, then `git remote update --prune`, which brings new commits and release tags), for a backend
 * whose image ships the templates without their git history. Returns `dir`, for
 * `new TemplateReleases({ repoDir: dir })`.
 */
export async function mirrorTemplateRepository(
  url: string,
  dir: string,
): Promise<string> {
  const isMirror = await run('git', ['rev-parse', '--is-bare-repository'], {
    cwd: dir,
  }).then(
    ({ stdout }) => stdout.trim() === 'true',
    () => false,
  );
  try {
    if (isMirror) {
      await run('git', ['remote', 'update', '--prune'], { cwd: dir });
    } else {
      await fs.mkdir(path.dirname(dir), { recursive: true });
      await run('git', ['clone', '--mirror', '--quiet', url, dir]);
    }
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr?.trim();
    throw new ReleaseNotFoundError(
      `could not ${
        isMirror ? 'update' : 'clone'
      } the template repository ${url} into ${dir}: ${
        stderr || (error as Error).message
      }`,
      { cause: error },
    );
  }
  return dir;
}

function isReleaseCommits(value: unknown): value is ReleaseCommits {
  const isRecord = (v: unknown): v is Record<string, unknown> =>
    typeof v === 'object' && v !== null && !Array.isArray(v);
  return (
    isRecord(value) &&
    Object.values(value).every(
      versions =>
        isRecord(versions) &&
        Object.values(versions).every(
          commit =>
            typeof commit === 'string' && /^[0-9a-f]{7,40}$/.test(commit),
        ),
    )
  );
}

function sortVersions(versions: Record<string, string>) {
  return Object.fromEntries(
    Object.keys(versions)
      .sort(semver.compare)
      .map(v => [v, versions[v]]),
  );
}
