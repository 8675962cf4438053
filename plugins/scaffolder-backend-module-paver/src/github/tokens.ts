import { NotFoundError } from '@backstage/errors';

/** How a client authenticates: a fixed token, or a function that fetches a fresh one. */
export type GithubAuth =
  | { token: string }
  | { getToken: () => Promise<string> };

/** The token in use, and a way to replace it when GitHub says it expired (401). */
export interface TokenSource {
  current(): Promise<string>;
  /**
   * A fresh token after `stale` was refused. Concurrent callers that saw the same stale token
   * share one fetch. Resolves undefined when there is no way to get another token.
   */
  refresh(stale: string): Promise<string | undefined>;
}

export function tokenSource(auth: GithubAuth): TokenSource {
  if ('token' in auth) {
    return { current: async () => auth.token, refresh: async () => undefined };
  }
  let cached: Promise<string> | undefined;
  const fetchToken = () => {
    const fetching = auth.getToken();
    // A failed fetch must not stick: the next caller tries again.
    fetching.catch(() => {
      if (cached === fetching) cached = undefined;
    });
    cached = fetching;
    return fetching;
  };
  return {
    current: () => cached ?? fetchToken(),
    async refresh(stale) {
      const now = cached ? await cached.catch(() => undefined) : undefined;
      return now === undefined || now === stale ? fetchToken() : now;
    },
  };
}

/**
 * Adapts a Backstage GithubCredentialsProvider (from @backstage/integration, e.g.
 * DefaultGithubCredentialsProvider) to `getToken`. Its installation tokens are cached and
 * renewed by the provider itself.
 */
export function getTokenFromCredentialsProvider(
  provider: {
    getCredentials(opts: { url: string }): Promise<{ token?: string }>;
  },
  url: string,
): () => Promise<string> {
  return async () => {
    const { token } = await provider.getCredentials({ url });
    if (!token)
      throw new NotFoundError(
        `integrations.github has no token (nor a GitHub App installation) for ${url}`,
      );
    return token;
  };
}
