import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { GithubDouble } from '../testing/github-double';

/**
 * TEST SUPPORT. The GitHub double serves no "list repositories" routes, so this front answers the
 * two the reconciler calls, in GitHub's wire shape (a JSON array of repositories with `topics`,
 * `per_page`/`page`, and a `Link` header with `rel="next"`/`rel="last"`), from the double's own
 * repositories:
 *   GET /orgs/{org}/repos        the organisation's repositories
 *   GET /user/repos              the token user's repositories (`login`)
 * Every other request is passed through to `upstreamApiBaseUrl` (the double, or a contents front
 * before it), so the double's faults and counts still apply. Records every request it sees.
 */
export interface ListingFront {
  apiBaseUrl: string;
  requests(): { method: string; path: string; query: string; receivedAt: number }[];
  stop(): Promise<void>;
}

const ORG_REPOS = /^\/api\/v3\/orgs\/([^/]+)\/repos$/;
const USER_REPOS = /^\/api\/v3\/user\/repos$/;

export async function startListingFront(
  double: GithubDouble,
  upstreamApiBaseUrl: string,
  options: { login?: string } = {},
): Promise<ListingFront> {
  const upstream = new URL(upstreamApiBaseUrl);
  const login = options.login ?? 'paver-bot';
  const seen: { method: string; path: string; query: string; receivedAt: number }[] = [];
  let base = '';

  const listing = (url: URL): ReturnType<GithubDouble['repos']> | undefined => {
    const org = ORG_REPOS.exec(url.pathname)?.[1];
    if (org) return double.repos().filter(r => r.owner.type === 'Organization' && r.owner.login.toLowerCase() === decodeURIComponent(org).toLowerCase());
    if (USER_REPOS.test(url.pathname)) return double.repos().filter(r => r.owner.login.toLowerCase() === login.toLowerCase());
    return undefined;
  };

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://front');
    seen.push({ method: req.method ?? 'GET', path: url.pathname, query: url.search, receivedAt: Date.now() });
    const repos = req.method === 'GET' ? listing(url) : undefined;
    if (repos) {
      if (!req.headers.authorization) {
        res.writeHead(401, { 'content-type': 'application/json' }).end(JSON.stringify({ message: 'Requires authentication' }));
        return;
      }
      const perPage = Math.min(100, Math.max(1, Number(url.searchParams.get('per_page') ?? 30)));
      const page = Math.max(1, Number(url.searchParams.get('page') ?? 1));
      const last = Math.max(1, Math.ceil(repos.length / perPage));
      const body = repos
        .sort((a, b) => Number(a.id) - Number(b.id))
        .slice((page - 1) * perPage, page * perPage)
        .map(({ gitDir: _g, branches: _b, protectedBranches: _p, teams: _t, ...wire }) => wire);
      const link = (p: number, rel: string) => {
        const target = new URL(`${base}${url.pathname}${url.search}`);
        target.searchParams.set('page', String(p));
        return `<${target.href}>; rel="${rel}"`;
      };
      const links = page < last ? [link(page + 1, 'next'), link(last, 'last')] : [];
      if (page > 1) links.push(link(1, 'first'), link(page - 1, 'prev'));
      res
        .writeHead(200, { 'content-type': 'application/json; charset=utf-8', ...(links.length ? { link: links.join(', ') } : {}) })
        .end(JSON.stringify(body));
      return;
    }
    const forward = http.request(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, host: upstream.host },
      },
      answer => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    forward.on('error', error => res.writeHead(502).end(String(error)));
    req.pipe(forward);
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    apiBaseUrl: `${base}/api/v3`,
    requests: () => seen.map(r => ({ ...r })),
    async stop() {
      server.closeAllConnections();
      await new Promise<void>(resolve => server.close(() => resolve()));
    },
  };
}
