import fs from 'node:fs';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { type ApiReply, matchRoute, notFound, runRoute } from './api';
import { type Fault, FaultBook } from './faults';
import { GIT_PATH, gitEndpoint, serveGit } from './gitHttp';
import type { RepositoryShape } from './shapes';
import { GithubStore, type PullRecord, type RepoRecord } from './store';

export interface RecordedRequest {
  method: string;
  path: string;
  /** The query string, with its "?" ("" when none), e.g. "?per_page=2&page=3". */
  query: string;
  /** "METHOD /route/{param}" as GitHub's REST description names it, or "GIT <service>". */
  endpoint: string;
  status: number;
  /** Date.now() when the request arrived and when its answer was written. */
  receivedAt: number;
  respondedAt: number;
  token: 'valid' | 'expired' | 'unknown' | 'none';
  /** For a rate-limited answer: no request should arrive before this time (ms). */
  limitedUntil?: number;
}

export interface DoubleRepo extends RepositoryShape {
  /** The bare repository on disk, for inspecting what was pushed. */
  gitDir: string;
  branches: string[];
  protectedBranches: string[];
  teams: Record<string, string>;
  /** Its pull requests, oldest first. */
  pulls: Array<Omit<PullRecord, 'user'>>;
}

export interface GithubDoubleOptions {
  /** Organisations and their team slugs. @default { acme: ['payments', 'platform'] } */
  orgs?: Record<string, string[]>;
  /** The login the tokens belong to (`GET /user`). @default 'paver-bot' */
  user?: string;
}

export interface GithubDouble {
  /** Where git is served: clone URLs are `${url}/{owner}/{repo}.git`. */
  url: string;
  /** The REST API base, GitHub Enterprise style: `${url}/api/v3`. */
  apiBaseUrl: string;
  calls(): Record<string, number>;
  calls(endpoint: string): number;
  requests(): RecordedRequest[];
  repos(): DoubleRepo[];
  inject(fault: Fault): void;
  /** A fresh installation token, valid until a token-expired fault. */
  issueToken(): string;
  /**
   * A repository that someone else made (no Paver marker unless given). With `files`, its main
   * branch holds them as one commit; without, the bare repository is empty (push to `gitDir`).
   */
  seedRepo(repo: {
    owner: string;
    name: string;
    description?: string;
    topics?: string[];
    files?: Record<string, string | Buffer> | ReadonlyMap<string, Buffer>;
  }): DoubleRepo;
  stop(): Promise<void>;
}

type Ctx = { store: GithubStore; faults: FaultBook; log: RecordedRequest[] };

function bearer(req: IncomingMessage): string | undefined {
  const header = req.headers.authorization;
  if (!header) return undefined;
  const [scheme, value = ''] = header.split(' ');
  if (/^basic$/i.test(scheme))
    return Buffer.from(value, 'base64').toString().split(':')[1];
  return value;
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString();
  return text ? JSON.parse(text) : undefined;
}

function rateLimitReply(
  ctx: Ctx,
  endpoint: string,
  now: number,
): (ApiReply & { until: number }) | undefined {
  const secondary = ctx.faults.take('secondary-rate-limit', endpoint);
  if (secondary) {
    const message =
      'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.';
    return {
      status: secondary.status,
      headers: { 'retry-after': String(secondary.retryAfterSeconds) },
      body: {
        message,
        documentation_url:
          'https://docs.github.com/rest/using-the-rest-api/rate-limits-for-the-rest-api#about-secondary-rate-limits',
      },
      until: now + secondary.retryAfterSeconds * 1000,
    };
  }
  const primary = ctx.faults.take('primary-rate-limit', endpoint);
  if (primary) {
    const reset = Math.ceil((now + primary.resetInSeconds * 1000) / 1000);
    return {
      status: 403,
      headers: {
        'x-ratelimit-remaining': '0',
        'x-ratelimit-reset': String(reset),
      },
      body: {
        message: 'API rate limit exceeded for installation ID 1.',
        documentation_url:
          'https://docs.github.com/rest/using-the-rest-api/rate-limits-for-the-rest-api',
      },
      until: reset * 1000,
    };
  }
  return undefined;
}

async function api(
  ctx: Ctx,
  req: IncomingMessage,
  pathname: string,
  query: URLSearchParams,
  rec: RecordedRequest,
): Promise<ApiReply> {
  const match = matchRoute(req.method ?? 'GET', pathname);
  if (!match) return notFound();
  rec.endpoint = match.endpoint;
  if (rec.token !== 'valid') {
    return {
      status: 401,
      body: {
        message: 'Bad credentials',
        documentation_url: 'https://docs.github.com/rest',
      },
    };
  }
  const limited = rateLimitReply(ctx, match.endpoint, rec.receivedAt);
  if (limited) {
    rec.limitedUntil = limited.until;
    return limited;
  }
  const failure = ctx.faults.take('server-error', match.endpoint);
  if (failure)
    return { status: failure.status, body: { message: 'Server Error' } };
  let body: unknown;
  try {
    body = await readJson(req);
  } catch {
    return { status: 400, body: { message: 'Problems parsing JSON' } };
  }
  const reply = runRoute(match.route, {
    params: match.params,
    path: pathname,
    query,
    accept: req.headers.accept ?? '',
    body,
    store: ctx.store,
    faults: ctx.faults,
  });
  if (ctx.faults.takeExpiryAfter(match.endpoint)) ctx.store.expireAllTokens();
  return reply;
}

async function git(
  ctx: Ctx,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  rec: RecordedRequest,
) {
  const [, owner, name, rest] = GIT_PATH.exec(url.pathname) ?? [];
  rec.endpoint = gitEndpoint(rest);
  if (rec.token !== 'valid') {
    res.writeHead(401, { 'www-authenticate': 'Basic realm="GitHub"' }).end();
    return 401;
  }
  const record = ctx.store.find(owner, name);
  if (record && record.git404Remaining > 0) {
    record.git404Remaining -= 1;
    // GitHub's storage catches up with the API a moment after creation.
    ctx.store.initBare(record);
  } else if (record) {
    const root = path.join(ctx.store.gitRoot);
    return serveGit(
      req,
      res,
      root,
      `/${record.owner.login}/${record.name}.git/${rest}`,
      url.search.slice(1),
    );
  }
  res
    .writeHead(404, { 'content-type': 'text/plain' })
    .end('Repository not found.');
  return 404;
}

function handler(ctx: Ctx) {
  return async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://double');
    const token = bearer(req);
    const rec: RecordedRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: url.search,
      endpoint: `${req.method} ${url.pathname}`,
      status: 0,
      receivedAt: Date.now(),
      respondedAt: 0,
      token: token === undefined ? 'none' : ctx.store.tokenState(token),
    };
    ctx.log.push(rec);
    if (url.pathname.startsWith('/api/v3/')) {
      const reply = await api(
        ctx,
        req,
        url.pathname.slice('/api/v3'.length),
        url.searchParams,
        rec,
      );
      rec.status = reply.status;
      const headers = {
        'content-type': 'application/json; charset=utf-8',
        ...reply.headers,
      };
      res
        .writeHead(reply.status, headers)
        .end(
          reply.raw ??
            (reply.body === undefined ? undefined : JSON.stringify(reply.body)),
        );
    } else if (GIT_PATH.test(url.pathname)) {
      rec.status = await git(ctx, req, res, url, rec);
    } else {
      rec.status = 404;
      res.writeHead(404).end();
    }
    rec.respondedAt = Date.now();
  };
}

/** Starts an in-process GitHub on 127.0.0.1 with real bare repositories under a temp folder. */
export async function startGithubDouble(
  options: GithubDoubleOptions = {},
): Promise<GithubDouble> {
  const gitRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'github-double-'));
  const orgs = new Map(
    Object.entries(options.orgs ?? { acme: ['payments', 'platform'] }).map(
      ([o, t]) => [o, new Set(t)],
    ),
  );
  let url = '';
  const store = new GithubStore(
    gitRoot,
    () => url,
    options.user ?? 'paver-bot',
    orgs,
  );
  const ctx: Ctx = { store, faults: new FaultBook(), log: [] };
  const server = http.createServer((req, res) => {
    handler(ctx)(req, res).catch(error => {
      res.writeHead(500).end(String(error));
    });
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  function calls(): Record<string, number>;
  function calls(endpoint: string): number;
  function calls(endpoint?: string) {
    const counts: Record<string, number> = {};
    for (const r of ctx.log) counts[r.endpoint] = (counts[r.endpoint] ?? 0) + 1;
    return endpoint === undefined ? counts : counts[endpoint] ?? 0;
  }

  const describe = (r: RepoRecord): DoubleRepo => ({
    ...store.shape(r),
    gitDir: store.gitDir(r),
    branches: store.branches(r),
    protectedBranches: [...r.protections.keys()],
    teams: Object.fromEntries(r.teams),
    pulls: r.pulls.map(({ user: _user, ...pull }) => pull),
  });

  return {
    url,
    apiBaseUrl: `${url}/api/v3`,
    calls,
    requests: () => ctx.log.map(r => ({ ...r })),
    repos: () => [...store.repos.values()].map(describe),
    inject: fault => {
      if (fault.kind === 'token-expired' && !fault.afterEndpoint)
        store.expireAllTokens();
      else ctx.faults.add(fault);
    },
    issueToken: () => store.issueToken(),
    seedRepo: ({ owner, name, description, topics = [], files }) => {
      const account = store.account(owner) ?? store.user(owner, 'User');
      const record = store.create(
        account,
        { name, description: description ?? null, visibility: 'public' },
        0,
      );
      record.topics = topics;
      if (files) {
        const entries = files instanceof Map ? files : Object.entries(files);
        store.seedCommit(record, 'main', entries, `Create ${name}`);
      }
      return describe(record);
    },
    stop: async () => {
      server.closeAllConnections();
      await new Promise<void>(resolve => server.close(() => resolve()));
      fs.rmSync(gitRoot, { recursive: true, force: true });
    },
  };
}
