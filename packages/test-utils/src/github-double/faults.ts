/**
 * Faults the double injects on demand, each one a row of the Faults table in docs/reliability.md.
 * `endpoint` names a route the way `calls()` counts it, e.g. "PUT /repos/{owner}/{repo}/topics";
 * without it a fault hits the next API request of any kind. `times` defaults to 1.
 */
export type Fault =
  /**
   * Create the repository (`POST /orgs/{org}/repos`, `POST /user/repos`) or open the pull request
   * (`POST /repos/{owner}/{repo}/pulls`), then answer 502 as if the gateway lost the response.
   */
  | { kind: 'create-502'; times?: number }
  /** GitHub's secondary rate limit: 403 or 429 with `retry-after: N` and GitHub's message. */
  | {
      kind: 'secondary-rate-limit';
      status: 403 | 429;
      retryAfterSeconds: number;
      endpoint?: string;
      times?: number;
    }
  /** The primary rate limit: `x-ratelimit-remaining: 0` until `x-ratelimit-reset`. */
  | {
      kind: 'primary-rate-limit';
      resetInSeconds: number;
      endpoint?: string;
      times?: number;
    }
  /**
   * The next created repository is not reachable over git at first: its first `times` git
   * requests answer 404, and its bare repository appears only after the first of them.
   */
  | { kind: 'git-404'; times?: number }
  /** Every token issued so far expires (401) — at once, or once `afterEndpoint` has answered. */
  | { kind: 'token-expired'; afterEndpoint?: string }
  /** A plain 5xx before the request is handled (nothing changes). */
  | {
      kind: 'server-error';
      status: 500 | 502 | 503;
      endpoint: string;
      times?: number;
    };

type Armed = Fault & { remaining: number };

/** Pending faults; each is consumed as it fires. */
export class FaultBook {
  private readonly armed: Armed[] = [];

  add(fault: Fault): void {
    const remaining =
      'times' in fault && fault.times !== undefined ? fault.times : 1;
    this.armed.push({ ...fault, remaining });
  }

  /** Takes one firing of the first fault of `kind` that applies to `endpoint`. */
  take<K extends Fault['kind']>(
    kind: K,
    endpoint?: string,
  ): Extract<Fault, { kind: K }> | undefined {
    const index = this.armed.findIndex(
      f =>
        f.kind === kind &&
        (endpoint === undefined ||
          !('endpoint' in f) ||
          !f.endpoint ||
          f.endpoint === endpoint),
    );
    if (index < 0) return undefined;
    const fault = this.armed[index];
    fault.remaining -= 1;
    if (fault.remaining <= 0) this.armed.splice(index, 1);
    return fault as unknown as Extract<Fault, { kind: K }>;
  }

  /** Takes a whole fault of `kind` at once (for faults that arm state rather than fire per hit). */
  takeAll<K extends Fault['kind']>(
    kind: K,
  ): Extract<Fault, { kind: K }> | undefined {
    const index = this.armed.findIndex(f => f.kind === kind);
    if (index < 0) return undefined;
    return this.armed.splice(index, 1)[0] as unknown as Extract<
      Fault,
      { kind: K }
    >;
  }

  /** A pending token expiry tied to `endpoint`, consumed. */
  takeExpiryAfter(endpoint: string): boolean {
    const index = this.armed.findIndex(
      f => f.kind === 'token-expired' && f.afterEndpoint === endpoint,
    );
    if (index < 0) return false;
    this.armed.splice(index, 1);
    return true;
  }
}
