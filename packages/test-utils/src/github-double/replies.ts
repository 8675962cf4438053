import type { FaultBook } from './faults';
import type { BasicErrorShape, ValidationErrorShape } from './shapes';
import type { GithubStore, RepoRecord } from './store';

// What every route handler shares: the call it answers, GitHub's answers for "not found",
// "validation failed", other errors and one page of a list, and the route of one repository.

export interface ApiReply {
  status: number;
  /** Sent as JSON. */
  body?: unknown;
  /** Sent as is instead of `body` (a raw media type); `headers` name its content-type. */
  raw?: Buffer;
  headers?: Record<string, string>;
}

export interface Call {
  params: Record<string, string>;
  /** The request's path below the API base, e.g. "/orgs/acme/repos". */
  path: string;
  query: URLSearchParams;
  /** The request's Accept header ("" when absent). */
  accept: string;
  body: unknown;
  store: GithubStore;
  faults: FaultBook;
}

export interface Route {
  method: string;
  /** The path as GitHub's REST description writes it; also the name `calls()` counts by. */
  route: string;
  handle: (call: Call) => ApiReply;
}

export const DOCS = 'https://docs.github.com/rest';

export function notFound(): ApiReply {
  const body: BasicErrorShape = {
    message: 'Not Found',
    documentation_url: DOCS,
    status: '404',
  };
  return { status: 404, body };
}

export function invalid(
  message: string,
  errors: ValidationErrorShape['errors'],
): ApiReply {
  const body: ValidationErrorShape = {
    message,
    documentation_url: DOCS,
    errors,
  };
  return { status: 422, body };
}

/** GitHub's answer for an error that names no field (`basic-error`), e.g. 405 "not mergeable". */
export function errorReply(status: number, message: string): ApiReply {
  const body: BasicErrorShape = { message, documentation_url: DOCS };
  return { status, body };
}

export function withRepo(
  call: Call,
  fn: (record: RepoRecord) => ApiReply,
): ApiReply {
  const record = call.store.find(call.params.owner, call.params.repo);
  return record ? fn(record) : notFound();
}

/**
 * A route below `/repos/{owner}/{repo}`: `handle` sees only a repository that exists, so each
 * handler need not answer GitHub's 404 for one that does not.
 */
export function repoRoute(
  method: string,
  route: string,
  handle: (call: Call, record: RepoRecord) => ApiReply,
): Route {
  return {
    method,
    route,
    handle: call => withRepo(call, record => handle(call, record)),
  };
}

function positiveInt(value: string | null, fallback: number): number {
  const n = Number(value);
  return value !== null && Number.isInteger(n) && n > 0 ? n : fallback;
}

/**
 * One page of `items` as GitHub pages a list: `per_page` (default 30, at most 100) and `page`
 * (default 1), with a `Link` header naming the prev/next/last/first pages that exist. The links
 * repeat the request's own path and query; GitHub's sometimes name an organisation by id
 * (`/organizations/{id}/repos`), a route the double does not serve.
 */
export function paginate(call: Call, items: unknown[]): ApiReply {
  const perPage = Math.min(100, positiveInt(call.query.get('per_page'), 30));
  const page = positiveInt(call.query.get('page'), 1);
  const last = Math.max(1, Math.ceil(items.length / perPage));
  const link = (target: number, rel: string) => {
    const query = new URLSearchParams(call.query);
    query.set('page', String(target));
    return `<${call.store.baseUrl()}/api/v3${
      call.path
    }?${query}>; rel="${rel}"`;
  };
  const links = [
    ...(page > 1 ? [link(page - 1, 'prev')] : []),
    ...(page < last ? [link(page + 1, 'next'), link(last, 'last')] : []),
    ...(page > 1 ? [link(1, 'first')] : []),
  ];
  return {
    status: 200,
    body: items.slice((page - 1) * perPage, page * perPage),
    headers: links.length > 0 ? { link: links.join(', ') } : undefined,
  };
}
