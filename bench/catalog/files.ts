// The organisation as location files on a local HTTP server, read by the catalog's UrlReader the
// way it reads catalog-info.yaml files from an SCM (with no latency: the cheapest realistic source,
// so the figures are the catalog's, not the file host's). Each location file `i` is
// /org/<i>/catalog-info.yaml, the OpenSLO files its Components name are /org/<i>/slo/<name>.yaml;
// answers carry an ETag and a matching If-None-Match gets a 304, as SCM hosts answer.
import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { stringify } from 'yaml';
import type { OrgEntity } from './org';

export const FILES_PATH = '/org/';

export interface LocationFiles {
  /** The url targets to register, in file order (the organisation first). */
  urls: string[];
  port: number;
  /** Bytes of YAML served in total (one read of each file). */
  bytes: number;
  /** Reads answered so far. */
  reads(): number;
  stop(): Promise<void>;
}

/** Writes `entities` as multi-document YAML files of `perFile` entities each. */
export function toFiles(entities: OrgEntity[], perFile: number): string[] {
  const files: string[] = [];
  for (let i = 0; i < entities.length; i += perFile) {
    files.push(
      entities
        .slice(i, i + perFile)
        .map(e => stringify(e, { lineWidth: 0 }))
        .join('---\n'),
    );
  }
  return files;
}

export async function serveFiles(
  files: string[],
  sloFiles: ReadonlyMap<string, string> = new Map(),
): Promise<LocationFiles> {
  let reads = 0;
  const catalogFile = new RegExp(`^${FILES_PATH}(\\d+)/catalog-info\\.yaml$`);
  const sloFile = new RegExp(`^${FILES_PATH}\\d+/slo/([a-z0-9-]+)\\.yaml$`);
  const etags = new Map<string, string>();
  const etagOf = (text: string) => {
    let etag = etags.get(text);
    if (!etag) {
      etag = `"${createHash('sha1').update(text).digest('hex')}"`;
      etags.set(text, etag);
    }
    return etag;
  };
  // A location file by its index, or an SLO file by its name.
  const fileAt = (url: string) => {
    const catalog = catalogFile.exec(url);
    if (catalog) return files[Number(catalog[1])];
    const slo = sloFile.exec(url);
    return slo ? sloFiles.get(slo[1]) : undefined;
  };
  const server = http.createServer((req, res) => {
    const url = req.url ?? '';
    const file = fileAt(url);
    if (file === undefined) {
      res.writeHead(404).end('not found');
      return;
    }
    reads += 1;
    const etag = etagOf(file);
    if (req.headers['if-none-match'] === etag) {
      res.writeHead(304, { etag }).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'text/yaml', etag }).end(file);
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    urls: files.map(
      (_, i) => `http://localhost:${port}${FILES_PATH}${i}/catalog-info.yaml`,
    ),
    port,
    bytes: files.reduce((sum, f) => sum + Buffer.byteLength(f), 0),
    reads: () => reads,
    async stop() {
      server.closeAllConnections();
      await new Promise<void>(resolve => server.close(() => resolve()));
    },
  };
}
