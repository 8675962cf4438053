// The catalogs the create benchmark loads before it measures: what keeps the processing loop busy
// while a Paver and a stock create race to become visible.
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { stringify } from 'yaml';

/** A load for the catalog: `n` Components tagged `tag`, registered by `register()`. */
export interface Fill {
  /** For the report's heading. */
  readonly title: string;
  readonly n: number;
  readonly tag: string;
  /** The `url` locations to POST to /api/catalog/locations, as a user or the scaffolder registers them. */
  readonly locations: readonly string[];
  /** A line for the report about what was read (the fleet's read rate), when there is one. */
  describeReads?(elapsedMs: number): string;
}

const RUNBOOK = 'docs/runbook.md';
const RUNBOOK_TEXT =
  '# Runbook\n\nRestart the service; page the owning team if it stays down.\n';

function component(
  name: string,
  tag: string,
  description: string,
): Record<string, unknown> {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name,
      description,
      tags: [tag],
      // What Paver's catalog asks of a production Component (the on-call rules): an on-call
      // schedule and a runbook in the repository, which the catalog reads to check it exists.
      annotations: {
        'paver.dev/bench': tag,
        'paver.dev/oncall': 'payments-primary',
        'paver.dev/runbook': RUNBOOK,
      },
    },
    spec: {
      type: 'service',
      lifecycle: 'production',
      owner: 'group:default/platform',
      system: 'system:default/billing',
    },
  };
}

/**
 * A bulk import: `n` Components in one catalog-info.yaml, served the way a published repository
 * is (a checkout under the local data dir, read through Paver's repository route). One read, then
 * `n` entities to process and stitch: a backlog that drains and does not come back.
 */
export function bulkFill(options: {
  n: number;
  runId: string;
  dataDir: string;
  backendUrl: string;
}): Fill {
  const repo = `fill-${options.runId}`;
  const tag = 'bench-fill';
  const docs = Array.from({ length: options.n }, (_, i) =>
    stringify(
      component(
        `fill-${options.runId}-${i}`,
        tag,
        `Filler component ${i} for the create benchmark`,
      ),
    ),
  );
  const dir = path.join(options.dataDir, 'checkouts', repo);
  fs.mkdirSync(dir, { recursive: true });
  const text = docs.join('---\n');
  fs.writeFileSync(path.join(dir, 'catalog-info.yaml'), text);
  fs.mkdirSync(path.join(dir, path.dirname(RUNBOOK)), { recursive: true });
  fs.writeFileSync(path.join(dir, RUNBOOK), RUNBOOK_TEXT);
  return {
    title: `Bulk import: ${options.n} Components in one url location (${(
      text.length / 1024
    ).toFixed(0)} KB)`,
    n: options.n,
    tag,
    locations: [
      `${options.backendUrl}/api/scaffolder/paver/repos/${repo}/contents/catalog-info.yaml`,
    ],
  };
}

export const FLEET_PATH = '/fleet/';

/**
 * A fleet: `n` services, each in its own repository with its own catalog-info.yaml registered as
 * its own location — what a platform that creates one repository per service accumulates. Every
 * file is answered after `latencyMs`, a typical SCM API latency (GitHub's contents API answers in
 * ~0.1–0.5 s). The catalog reads every file again at every refresh (100–150 s by default) with at
 * most 10 entities in flight, so a fleet bigger than 10 / latency × interval never catches up: the
 * state adopters of large catalogs report. (Not one Location entity listing the `n` targets: the
 * catalog reads those inline, one after another, while processing that one entity.)
 */
export async function startFleet(options: {
  n: number;
  latencyMs: number;
  runId: string;
}): Promise<Fill & { port: number; stop(): Promise<void> }> {
  const tag = 'bench-fleet';
  let reads = 0;
  let base = '';
  const server = http.createServer((req, res) => {
    const url = req.url ?? '/';
    const runbook = new RegExp(`^${FLEET_PATH}(\\d+)/${RUNBOOK}$`).exec(url);
    const match = new RegExp(`^${FLEET_PATH}(\\d+)/catalog-info\\.yaml$`).exec(
      url,
    );
    const service = Number((match ?? runbook)?.[1] ?? options.n);
    if (service >= options.n) {
      res.writeHead(404).end('not found');
      return;
    }
    // The runbook is the repository's too: answered with the same latency, not counted as a read
    // of a service file.
    if (runbook) {
      setTimeout(
        () =>
          res
            .writeHead(200, { 'content-type': 'text/markdown' })
            .end(RUNBOOK_TEXT),
        options.latencyMs,
      );
      return;
    }
    reads += 1;
    const body = stringify(
      component(
        `fleet-${options.runId}-${match[1]}`,
        tag,
        `Service ${match[1]} of the benchmark's fleet`,
      ),
    );
    setTimeout(
      () => res.writeHead(200, { 'content-type': 'text/yaml' }).end(body),
      options.latencyMs,
    );
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  base = `http://localhost:${port}`;
  return {
    title: `Fleet: ${options.n} services, each its own url location, every read answered after ${options.latencyMs} ms`,
    n: options.n,
    tag,
    port,
    locations: Array.from(
      { length: options.n },
      (_, i) => `${base}${FLEET_PATH}${i}/catalog-info.yaml`,
    ),
    describeReads: elapsedMs =>
      `The catalog read ${reads} service files in ${(elapsedMs / 1000).toFixed(
        0,
      )} s (${((reads / elapsedMs) * 1000).toFixed(1)} reads/s; ${
        options.n
      } services need ${(options.n / 125).toFixed(
        1,
      )} reads/s to be refreshed every 125 s).`,
    async stop() {
      server.closeAllConnections();
      await new Promise<void>(resolve => server.close(() => resolve()));
    },
  };
}
