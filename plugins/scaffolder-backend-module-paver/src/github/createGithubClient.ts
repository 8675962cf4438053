import { Octokit } from '@octokit/rest';
import { retry } from '@octokit/plugin-retry';
import { throttling, type ThrottlingOptions } from '@octokit/plugin-throttling';
import type { GithubPacer } from './pacing';
import { processWidePacer } from './RequestPacer';
import { type GithubAuth, type TokenSource, tokenSource } from './tokens';

/** What the publisher reports progress to; Backstage's LoggerService fits. */
export interface ProgressLogger {
  info(message: string, meta?: Record<string, unknown>): void;
  warn(message: string, meta?: Record<string, unknown>): void;
}

export type GithubClientOptions = GithubAuth & {
  /** REST base URL. @default 'https://api.github.com' */
  baseUrl?: string;
  /**
   * Paces content-creating requests; the module passes a DatabasePacer shared by all replicas.
   * @default the process-wide, in-memory pacer (80/min, 500/h)
   */
  pacer?: GithubPacer;
  /** Rate-limit answers waited out per request before giving up. @default 10 */
  maxRateLimitWaits?: number;
  logger?: ProgressLogger;
};

export interface GithubClient {
  readonly octokit: Octokit;
  readonly tokens: TokenSource;
  readonly pacer: GithubPacer;
}

const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
type Request = Octokit['request'];
type Plugin = (octokit: { hook: Octokit['hook'] }) => void;
type LimitHandler = NonNullable<ThrottlingOptions['onRateLimit']>;

/** Sets the current token on each request; the token may change between attempts. */
function refreshableAuth(tokens: TokenSource) {
  return () => {
    const hook = async (
      request: Request,
      ...route: Parameters<Request['endpoint']['merge']>
    ) => {
      const endpoint = request.endpoint.merge(...route);
      endpoint.headers.authorization = `token ${await tokens.current()}`;
      return request({ ...endpoint, url: endpoint.url ?? '/' });
    };
    return Object.assign(
      async () => ({ type: 'token', token: await tokens.current() }),
      { hook },
    );
  };
}

/** Waits for the pacer before every attempt that goes on the wire, retries included. */
function pacing(pacer: GithubPacer): Plugin {
  return octokit => {
    octokit.hook.wrap('request', async (request, options) => {
      await pacer.acquire(
        WRITES.has(options.method) ? 'write' : 'read',
        options.request?.signal,
      );
      return request(options);
    });
  };
}

/** On 401 (an installation token expired), fetch a fresh token and try once more. */
function refreshOn401(tokens: TokenSource, logger?: ProgressLogger): Plugin {
  return octokit => {
    octokit.hook.wrap('request', async (request, options) => {
      const used = await tokens.current();
      try {
        return await request(options);
      } catch (error) {
        if ((error as { status?: number }).status !== 401) throw error;
        const fresh = await tokens.refresh(used);
        if (fresh === undefined) throw error;
        logger?.warn(
          'GitHub refused the token (401); retrying once with a fresh one',
        );
        return request(options);
      }
    });
  };
}

// plugin-throttling spaces writes through its own process-global groups: every write 1 s apart,
// and those that notify people (opening a pull request or an issue, commenting) 3 s apart. The
// pacer already spaces writes, configurably and for every replica, and a stricter limit GitHub
// applies answers retry-after, which the pacer honours; so these groups hand each job straight
// through instead of stacking second, fixed, per-process schedules on top. The plugin only ever
// calls key(id).schedule(...).
const passThroughGroup = {
  key: () => ({
    schedule: (
      _options: unknown,
      job: (...args: unknown[]) => unknown,
      ...args: unknown[]
    ) => job(...args),
  }),
} as unknown as NonNullable<ThrottlingOptions['write']>;

// The plugins' typings name their @octokit/core peer, which resolves to an older copy hoisted at
// the root (5.x) rather than the one @octokit/rest brings (7.x); at run time they touch only
// octokit.hook, which both share. Declaring @octokit/core ^7 in package.json would remove this.
type AnyPlugin = Parameters<typeof Octokit.plugin>[0];
const asPlugin = (plugin: unknown) => plugin as AnyPlugin;

/**
 * Builds the GitHub client once (from config, in the module) for every task in the process.
 * Plugins run innermost first: auth, pacing, 401 refresh, throttling, retry — so every attempt
 * the outer two make passes the pacer again and carries the current token.
 */
export function createGithubClient(options: GithubClientOptions): GithubClient {
  const tokens = tokenSource(options);
  const pacer = options.pacer ?? processWidePacer();
  const maxWaits = options.maxRateLimitWaits ?? 10;
  const onLimit =
    (kind: string): LimitHandler =>
    async (retryAfter, request, _octokit, retryCount) => {
      options.logger?.warn(
        `GitHub ${kind} rate limit on ${request.method} ${request.url}; waiting ${retryAfter}s`,
      );
      // GitHub asks for no request at all inside the window, not only no retry of this one;
      // awaited so the pause is recorded (for every replica) before this request retries.
      await pacer.pauseUntil(Date.now() + retryAfter * 1000);
      return retryCount < maxWaits;
    };
  const Client = Octokit.plugin(
    pacing(pacer),
    refreshOn401(tokens, options.logger),
    asPlugin(throttling),
    asPlugin(retry),
  );
  const octokit = new Client({
    baseUrl: options.baseUrl ?? 'https://api.github.com',
    authStrategy: refreshableAuth(tokens),
    userAgent: 'paver-scaffolder',
    throttle: {
      onRateLimit: onLimit('primary'),
      onSecondaryRateLimit: onLimit('secondary'),
      write: passThroughGroup,
      notifications: passThroughGroup,
    },
    log: { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} },
  });
  return { octokit, tokens, pacer };
}
