import { ForwardedError, assertError } from '@backstage/errors';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ProgressLogger } from './createGithubClient';
import { git } from '../git';
import type { TokenSource } from './tokens';

export interface PushOptions {
  sourceDir: string;
  cloneUrl: string;
  branch: string;
  tokens: TokenSource;
  logger: ProgressLogger;
  signal?: AbortSignal;
  /** Attempts while GitHub answers 404 for a repository it has just created. @default 6 */
  attempts?: number;
  /** First wait; each next one doubles. @default 500 */
  baseDelayMs?: number;
  /** @default 8000 */
  maxDelayMs?: number;
}

export type PushOutcome = 'pushed' | 'already-present';

function failureKind(error: Error): 'not-ready' | 'auth' | 'other' {
  if (/not found|does not appear to be a git repository/i.test(error.message))
    return 'not-ready';
  if (
    /authentication failed|could not read username|terminal prompts disabled|\b40[13]\b/i.test(
      error.message,
    )
  ) {
    return 'auth';
  }
  return 'other';
}

async function pushOnce(o: PushOptions, token: string): Promise<PushOutcome> {
  const opts = { cwd: o.sourceDir, token, signal: o.signal };
  const ref = `refs/heads/${o.branch}`;
  // An earlier attempt of this task pushed already (a ref appears only when a push completes):
  // never push a second, re-rendered commit over it, and never force.
  const remote = await git(['ls-remote', '--heads', o.cloneUrl, ref], opts);
  if (remote.trim()) return 'already-present';
  await git(['push', '--quiet', o.cloneUrl, `HEAD:${ref}`], opts);
  return 'pushed';
}

/**
 * Pushes the workspace's commit with real git. A 404 just after creation is GitHub catching up:
 * retried with bounded exponential backoff. A refused token is refreshed once.
 */
export async function pushWithBackoff(o: PushOptions): Promise<PushOutcome> {
  const attempts = o.attempts ?? 6;
  const base = o.baseDelayMs ?? 500;
  let refreshed = false;
  for (let attempt = 1; ; attempt++) {
    const token = await o.tokens.current();
    try {
      return await pushOnce(o, token);
    } catch (error) {
      assertError(error);
      o.signal?.throwIfAborted();
      const kind = failureKind(error);
      if (
        kind === 'auth' &&
        !refreshed &&
        (await o.tokens.refresh(token)) !== undefined
      ) {
        refreshed = true;
        o.logger.warn(
          'git refused the token; retrying the push once with a fresh one',
        );
        continue;
      }
      if (kind !== 'not-ready' || attempt >= attempts) {
        const why =
          kind === 'not-ready'
            ? `still not found after ${attempt} attempts`
            : 'push failed';
        throw new ForwardedError(
          `Failed to push to ${o.cloneUrl}: ${why}`,
          error,
        );
      }
      const delay = Math.min(o.maxDelayMs ?? 8000, base * 2 ** (attempt - 1));
      o.logger.info(
        `repository not reachable over git yet; retrying in ${delay} ms (attempt ${attempt} of ${attempts})`,
      );
      await sleep(delay, undefined, { signal: o.signal });
    }
  }
}
