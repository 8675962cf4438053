import { InputError } from '@backstage/errors';
import fs from 'node:fs';
import path from 'node:path';
import { git } from '../git';

/** GitHub links a commit to an account by email; this one belongs to no account. */
export const GITHUB_AUTHOR = {
  name: 'Paver',
  email: 'paver@users.noreply.github.com',
};

/**
 * Makes sure the workspace has a commit to push: a rendered workspace that is not yet a
 * repository gets one commit of everything in it on `branch`.
 */
export async function ensureCommit(
  sourceDir: string,
  branch: string,
): Promise<string> {
  if (!fs.existsSync(sourceDir) || !fs.statSync(sourceDir).isDirectory()) {
    throw new InputError(`sourceDir ${sourceDir} is not a directory`);
  }
  const opts = { cwd: sourceDir, author: GITHUB_AUTHOR };
  const head = await git(
    ['rev-parse', '--verify', '--quiet', 'HEAD^{commit}'],
    opts,
  ).catch(() => '');
  if (head) return head;
  if (!fs.existsSync(path.join(sourceDir, '.git'))) {
    await git(['init', '--quiet', `--initial-branch=${branch}`], opts);
  }
  await git(['add', '--all'], opts);
  await git(
    ['commit', '--quiet', '--allow-empty', '-m', 'Initial commit from Paver'],
    opts,
  );
  return git(['rev-parse', 'HEAD'], opts);
}
