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
 * Runs git against GitHub with the current token (`run` hands it to `git()`, which sends it as a
 * header, never in the URL). When git is refused, once more with a fresh token, if there is one.
 */
export async function withGitToken<T>(
  tokens: TokenSource,
  logger: ProgressLogger,
  what: string,
  run: (token: string) => Promise<T>,
): Promise<T> {
  const token = await tokens.current();
  try {
    return await run(token);
  } catch (error) {
    assertError(error);
    if (failureKind(error) !== 'auth') throw error;
    const fresh = await tokens.refresh(token);
    if (fresh === undefined) throw error;
    logger.warn(
      `git refused the token; retrying the ${what} once with a fresh one`,
    );
    return run(fresh);
  }
}

/**
 * Pushes the workspace's commit with real git. A 404 just after creation is GitHub catching up:
 * retried with bounded exponential backoff. A refused token is refreshed once.
 */
export async function pushWithBackoff(o: PushOptions): Promise<PushOutcome> {
  const attempts = o.attempts ?? 6;
  const base = o.baseDelayMs ?? 500;
  for (let attempt = 1; ; attempt++) {
    try {
      return await withGitToken(o.tokens, o.logger, 'push', token =>
        pushOnce(o, token),
      );
    } catch (error) {
      assertError(error);
      o.signal?.throwIfAborted();
      const kind = failureKind(error);
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
