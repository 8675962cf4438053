import { ForwardedError } from '@backstage/errors';
import { git } from '../git';
import type { ProgressLogger } from './createGithubClient';
import { withGitToken } from './push';
import type { TokenSource } from './tokens';

export interface CloneOptions {
  cloneUrl: string;
  branch: string;
  /** Where the clone goes; must not exist yet. */
  dir: string;
  tokens: TokenSource;
  logger: ProgressLogger;
  signal?: AbortSignal;
}

/**
 * Clones the tip of one branch of a GitHub repository over HTTPS, authenticated as pushes are
 * (push.ts: the token as a header through the environment, refreshed once if refused). Shallow:
 * a commit made on top of it pushes fine, as GitHub has its parents.
 */
export async function cloneWithToken(o: CloneOptions): Promise<void> {
  const args = [
    'clone',
    '--quiet',
    '--depth',
    '1',
    '--branch',
    o.branch,
    o.cloneUrl,
    o.dir,
  ];
  try {
    await withGitToken(o.tokens, o.logger, 'clone', token =>
      git(args, { token, signal: o.signal }),
    );
  } catch (error) {
    o.signal?.throwIfAborted();
    throw new ForwardedError(`Failed to clone ${o.cloneUrl}`, error);
  }
}
