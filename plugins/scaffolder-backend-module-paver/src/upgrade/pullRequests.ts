import { ConflictError, NotFoundError } from '@backstage/errors';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { git, gitOptional } from '../git';
import type { LocalRepositories } from '../local/localRepositories';

/**
 * Merges an upgrade branch of the local remote into `main` with a merge commit, then deletes the
 * branch and refreshes the checkout the catalog reads. Refused (409) while the branch still holds
 * conflict markers, or when `main` moved on in a way that conflicts with it; nothing is changed then.
 */
export async function mergeUpgrade(
  repos: LocalRepositories,
  service: string,
  branch: string,
): Promise<{ commit: string }> {
  const bare = repos.barePath(service);
  await assertBranch(repos, service, branch);
  const marked = await gitOptional([
    '--git-dir',
    bare,
    'grep',
    '-l',
    '-e',
    '^<<<<<<< yours',
    branch,
  ]);
  if (marked) {
    const files = marked.split('\n').map(l => l.slice(branch.length + 1));
    throw new ConflictError(
      `${service}: ${branch} still has conflict markers in ${files.join(
        ', ',
      )}; resolve them on the branch first`,
    );
  }
  const work = await fs.mkdtemp(path.join(os.tmpdir(), 'paver-merge-'));
  try {
    await git(['clone', '--quiet', '--branch', 'main', bare, work]);
    try {
      await git([
        '-C',
        work,
        'merge',
        '--no-ff',
        '--quiet',
        '-m',
        `Merge ${branch}`,
        `origin/${branch}`,
      ]);
    } catch {
      throw new ConflictError(
        `${service}: ${branch} no longer merges cleanly into main; update the branch first`,
      );
    }
    await git(['-C', work, 'push', '--quiet', 'origin', 'main']);
    const commit = await git(['-C', work, 'rev-parse', 'HEAD']);
    await git(['--git-dir', bare, 'branch', '-D', branch]);
    await repos.checkout(service);
    return { commit };
  } finally {
    await fs.rm(work, { recursive: true, force: true });
  }
}

/** Closes an upgrade pull request of the local remote: its branch is deleted, main untouched. */
export async function closeUpgrade(
  repos: LocalRepositories,
  service: string,
  branch: string,
): Promise<void> {
  const bare = repos.barePath(service);
  await assertBranch(repos, service, branch);
  await git(['--git-dir', bare, 'branch', '-D', branch]);
}

async function assertBranch(
  repos: LocalRepositories,
  service: string,
  branch: string,
) {
  if (!(await repos.hasBranch(service, branch))) {
    throw new NotFoundError(`${service} has no open upgrade ${branch}`);
  }
}
