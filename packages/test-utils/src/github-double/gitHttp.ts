import { spawn } from 'node:child_process';
import type { IncomingMessage, ServerResponse } from 'node:http';

// Git's smart HTTP protocol served by git's own CGI (`git http-backend`), so a push to the double
// is a real push: the client negotiates, sends a pack, and the bare repository gets the commit.

/** Matches /{owner}/{repo}.git/{info/refs|git-upload-pack|git-receive-pack}. */
export const GIT_PATH =
  /^\/([^/]+)\/([^/]+?)\.git\/(info\/refs|git-upload-pack|git-receive-pack)$/;

export function gitEndpoint(rest: string): string {
  return `GIT ${rest}`;
}

/** Pipes one request through `git http-backend` and streams its CGI answer back. */
export function serveGit(
  req: IncomingMessage,
  res: ServerResponse,
  projectRoot: string,
  pathInfo: string,
  query: string,
): Promise<number> {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    GIT_PROJECT_ROOT: projectRoot,
    GIT_HTTP_EXPORT_ALL: '1',
    PATH_INFO: pathInfo,
    REQUEST_METHOD: req.method,
    QUERY_STRING: query,
    CONTENT_TYPE: req.headers['content-type'] ?? '',
    // http-backend only accepts pushes from an authenticated user; the double has checked the token.
    REMOTE_USER: 'x-access-token',
    REMOTE_ADDR: '127.0.0.1',
  };
  if (req.headers['content-length'])
    env.CONTENT_LENGTH = req.headers['content-length'];
  if (req.headers['content-encoding'])
    env.HTTP_CONTENT_ENCODING = req.headers['content-encoding'];
  if (req.headers['git-protocol'])
    env.GIT_PROTOCOL = String(req.headers['git-protocol']);

  return new Promise((resolve, reject) => {
    const child = spawn('git', ['http-backend'], { env });
    req.pipe(child.stdin);
    let head = Buffer.alloc(0);
    let status = 200;
    let headersSent = false;
    child.stdout.on('data', (chunk: Buffer) => {
      if (headersSent) {
        res.write(chunk);
        return;
      }
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf('\r\n\r\n');
      if (end < 0) return;
      for (const line of head.subarray(0, end).toString().split('\r\n')) {
        const colon = line.indexOf(':');
        const name = line.slice(0, colon).trim();
        const value = line.slice(colon + 1).trim();
        if (name.toLowerCase() === 'status')
          status = Number(value.split(' ')[0]);
        else res.setHeader(name, value);
      }
      res.writeHead(status);
      headersSent = true;
      res.write(head.subarray(end + 4));
    });
    child.on('error', reject);
    child.on('close', () => {
      if (!headersSent) res.writeHead(500);
      res.end();
      resolve(status);
    });
  });
}
