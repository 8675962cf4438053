import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ConflictError, InputError } from '@backstage/errors';
import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import { git, gitOptional } from '../git';

/** The git config key in a bare repository that records which scaffolder task created it. */
export const TASK_MARKER_KEY = 'paver.taskid';
const BRANCH = 'main';

/**
 * The embedded publisher's storage: bare repositories under `<dataDir>/git/<name>.git` (the
 * remote a team clones) and a read-only checkout of each under `<dataDir>/checkouts/<name>/`
 * (what the catalog reads). Real git does every step, so what a test clones is what a user clones.
 */
export class LocalRepositories {
  readonly gitRoot: string;
  readonly checkoutsRoot: string;

  constructor(readonly dataDir: string) {
    this.gitRoot = path.join(dataDir, 'git');
    this.checkoutsRoot = path.join(dataDir, 'checkouts');
  }

  barePath(name: string): string {
    return resolveSafeChildPath(this.gitRoot, `${name}.git`);
  }

  checkoutPath(name: string): string {
    return resolveSafeChildPath(this.checkoutsRoot, name);
  }

  /**
   * Creates the bare repository for a task, or recognises the one this task created on an earlier
   * attempt (its marker). A name held by anything else is a ConflictError, and nothing is written.
   */
  async claim(
    name: string,
    taskId: string,
    description?: string,
  ): Promise<{ created: boolean }> {
    const bare = this.barePath(name);
    if (await exists(bare)) return this.assertOwnedBy(name, taskId);
    await fs.mkdir(this.gitRoot, { recursive: true });
    // Initialised and marked in a staging folder, then renamed: a half-made repository never
    // sits under the real name, and of two racing tasks exactly one rename wins.
    const staging = await fs.mkdtemp(path.join(this.gitRoot, `.${name}.git-`));
    try {
      await git([
        'init',
        '--quiet',
        '--bare',
        `--initial-branch=${BRANCH}`,
        staging,
      ]);
      await git(['--git-dir', staging, 'config', TASK_MARKER_KEY, taskId]);
      // git's own place for a one-line description (gitweb, cgit show it).
      if (description)
        await fs.writeFile(
          path.join(staging, 'description'),
          `${description}\n`,
        );
      await fs.rename(staging, bare);
      return { created: true };
    } catch (error) {
      await fs.rm(staging, { recursive: true, force: true });
      if (await exists(bare)) return this.assertOwnedBy(name, taskId);
      throw error;
    }
  }

  /** The task id recorded in a bare repository, if it is one of ours. */
  async markerOf(name: string): Promise<string | undefined> {
    return gitOptional([
      '--git-dir',
      this.barePath(name),
      'config',
      '--get',
      TASK_MARKER_KEY,
    ]);
  }

  /**
   * Commits every file of `sourceDir` as one commit and pushes it to `main`. A rerun with the same
   * content pushes nothing; different content replaces the task's own initial commit.
   */
  async push(
    name: string,
    sourceDir: string,
    message: string,
  ): Promise<{ commit: string; pushed: boolean }> {
    const bare = this.barePath(name);
    // A throwaway git dir, so the workspace itself gets no .git folder from us.
    const gitDir = await fs.mkdtemp(path.join(os.tmpdir(), 'paver-publish-'));
    try {
      const inTree = [
        '-c',
        'core.bare=false',
        '--git-dir',
        gitDir,
        '--work-tree',
        sourceDir,
      ];
      await git([
        'init',
        '--quiet',
        '--bare',
        `--initial-branch=${BRANCH}`,
        gitDir,
      ]);
      await git([...inTree, 'add', '--all']);
      if (!(await git([...inTree, 'ls-files']))) {
        throw new InputError(
          `nothing to publish: the workspace ${sourceDir} has no files`,
        );
      }
      await git([...inTree, 'commit', '--quiet', '--no-verify', '-m', message]);
      const commit = await git(['--git-dir', gitDir, 'rev-parse', 'HEAD']);
      const tree = await git(['--git-dir', gitDir, 'rev-parse', 'HEAD^{tree}']);
      const remoteTree = await gitOptional([
        '--git-dir',
        bare,
        'rev-parse',
        '--verify',
        '--quiet',
        `refs/heads/${BRANCH}^{tree}`,
      ]);
      if (remoteTree === tree) {
        return {
          commit: await git([
            '--git-dir',
            bare,
            'rev-parse',
            `refs/heads/${BRANCH}`,
          ]),
          pushed: false,
        };
      }
      // Forced only ever onto a repository this task claimed (see claim), i.e. its own first commit.
      await git([
        '--git-dir',
        gitDir,
        'push',
        '--quiet',
        '--force',
        bare,
        `HEAD:refs/heads/${BRANCH}`,
      ]);
      return { commit, pushed: true };
    } finally {
      await fs.rm(gitDir, { recursive: true, force: true });
    }
  }

  /** Whether the bare repository of `name` has the branch `branch`. */
  async hasBranch(name: string, branch: string): Promise<boolean> {
    const commit = await gitOptional([
      '--git-dir',
      this.barePath(name),
      'rev-parse',
      '--verify',
      '--quiet',
      `refs/heads/${branch}`,
    ]);
    return commit !== undefined;
  }

  /** Creates or fast-forwards the read-only checkout of `main`; returns its folder. */
  async checkout(name: string): Promise<string> {
    const dir = this.checkoutPath(name);
    if (await exists(path.join(dir, '.git'))) {
      await git(['-C', dir, 'fetch', '--quiet', 'origin', BRANCH]);
      await git(['-C', dir, 'reset', '--quiet', '--hard', 'FETCH_HEAD']);
      await git(['-C', dir, 'clean', '-q', '-f', '-d', '-x']);
      return dir;
    }
    await fs.mkdir(this.checkoutsRoot, { recursive: true });
    const staging = await fs.mkdtemp(
      path.join(this.checkoutsRoot, `.${name}-`),
    );
    try {
      await git([
        'clone',
        '--quiet',
        '--branch',
        BRANCH,
        this.barePath(name),
        staging,
      ]);
      await fs.rm(dir, { recursive: true, force: true });
      await fs.rename(staging, dir);
    } catch (error) {
      await fs.rm(staging, { recursive: true, force: true });
      throw error;
    }
    return dir;
  }

  private async assertOwnedBy(
    name: string,
    taskId: string,
  ): Promise<{ created: boolean }> {
    if ((await this.markerOf(name)) === taskId) return { created: false };
    throw new ConflictError(
      `repository "${name}" already exists and was not created by this task`,
    );
  }
}

async function exists(p: string): Promise<boolean> {
  return fs.access(p).then(
    () => true,
    () => false,
  );
}
