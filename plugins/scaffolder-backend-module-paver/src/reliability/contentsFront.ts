import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { gitOptional } from '../local/git';
import type { GithubDouble } from '../testing/github-double';

/**
 * The one REST route the GitHub double does not serve but the catalog needs to read what was
 * published: `GET /repos/{owner}/{repo}/contents/{path}?ref=` with `Accept:
 * application/vnd.github.v3.raw` (what Backstage's GithubUrlReader calls when a token is
 * configured). Answered from the double's own bare repository; every other request is passed
 * through to the double untouched, so its call counts and faults still apply.
 */
export interface ContentsFront {
  /** Use as `integrations.github[].apiBaseUrl`. */
  apiBaseUrl: string;
  /** How many contents reads were answered. */
  reads(): number;
  stop(): Promise<void>;
}

const CONTENTS = /^\/api\/v3\/repos\/([^/]+)\/([^/]+)\/contents\/(.+)$/;

export async function startContentsFront(double: GithubDouble): Promise<ContentsFront> {
  const upstream = new URL(double.url);
  let reads = 0;
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://front');
    const match = req.method === 'GET' ? CONTENTS.exec(url.pathname) : null;
    if (match) {
      reads += 1;
      const [, owner, name, filePath] = match.map(decodeURIComponent);
      const ref = url.searchParams.get('ref') ?? 'main';
      const repo = double.repos().find(r => r.owner.login === owner && r.name === name);
      const show = repo ? gitOptional(['--git-dir', repo.gitDir, 'show', `${ref}:${filePath}`]) : Promise.resolve(undefined);
      show.then(
        text => {
          if (text === undefined) {
            res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ message: 'Not Found' }));
          } else {
            res.writeHead(200, { 'content-type': 'application/vnd.github.v3.raw' }).end(`${text}\n`);
          }
        },
        error => res.writeHead(500).end(String(error)),
      );
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
  const { port } = server.address() as AddressInfo;
  return {
    apiBaseUrl: `http://127.0.0.1:${port}/api/v3`,
    reads: () => reads,
    async stop() {
      server.closeAllConnections();
      await new Promise<void>(resolve => server.close(() => resolve()));
    },
  };
}
