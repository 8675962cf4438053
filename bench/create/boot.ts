// The one backend every phase creates against: packages/backend with local git publishing into a
// temp data dir, the stock template beside the golden paths, on a throwaway PostgreSQL cluster (as
// production runs) or SQLite in memory, and allowed to read the fleet's server when there is one.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort, startPostgres } from '@paver/test-utils';
import {
  IN_MEMORY_SQLITE,
  localPublishingConfig,
  spawnBackend,
  type BackendProcess,
} from '../../packages/e2e/src/backend/backendProcess';
import { waitForEntity } from '../../packages/e2e/src/scaffolder/scaffolderApi';
import { loadAverage, postgresConfig } from '../backendBench';
import { FLEET_PATH, startFleet } from './fills';
import { writeStockTemplate } from './stockTemplate';
import type { Subject } from './subjects';

export interface BootOptions {
  db: 'pg' | 'sqlite';
  /** The fleet phase's services (fills.ts); none when 0. */
  fleet: { n: number; latencyMs: number };
  runId: string;
  log(msg: string): void;
}

export interface BootedBackend {
  backend: BackendProcess;
  /** Where the creates push: git/<name>.git under it. */
  dataDir: string;
  fleet?: Awaited<ReturnType<typeof startFleet>>;
  /** Whether the backend runs on PostgreSQL (else SQLite in memory). */
  postgres: boolean;
  /** Stops the backend, the fleet and the cluster, and removes the temp dir. */
  stop(): Promise<void>;
}

/** Writes the stock template, starts the database and the fleet, and spawns the backend. */
export async function bootBackend(
  options: BootOptions,
): Promise<BootedBackend> {
  const { log } = options;
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'paver-bench-create-'));
  const dataDir = path.join(work, 'data');
  const stockDir = path.join(work, 'stock-template');
  const stockFiles = writeStockTemplate(stockDir);
  log(`stock skeleton: ${stockFiles} files in ${stockDir}`);

  const port = await freePort();
  const pg = options.db === 'pg' ? await startPostgres() : undefined;
  const fleet =
    options.fleet.n > 0
      ? await startFleet({ ...options.fleet, runId: options.runId })
      : undefined;
  log(
    `booting the backend on port ${port}, ${
      pg ? 'PostgreSQL' : 'SQLite in memory'
    } (load ${loadAverage()})`,
  );
  const backend = await spawnBackend({
    port,
    configFiles: ['app-config.yaml'],
    override: [
      pg ? postgresConfig(pg) : IN_MEMORY_SQLITE,
      localPublishingConfig({
        dataDir,
        ports: [port],
        extraTemplates: [path.join(stockDir, 'template.yaml')],
        extraReadingAllow: fleet
          ? [{ host: `localhost:${fleet.port}`, paths: [FLEET_PATH] }]
          : [],
      }),
    ],
  });
  return {
    backend,
    dataDir,
    fleet,
    postgres: pg !== undefined,
    async stop() {
      await backend.stop();
      await fleet?.stop();
      await pg?.stop();
      fs.rmSync(work, { recursive: true, force: true });
    },
  };
}

/**
 * Waits until the catalog serves every template created from and the groups and system the
 * golden paths' answers name: a create before that would fail, or measure the catalog's start.
 */
export async function waitForCatalog(
  backend: BackendProcess,
  goldens: Subject[],
): Promise<void> {
  for (const ref of [
    ...goldens.map(g => g.templateRef.replace('template:', 'template/')),
    'template/default/billing-stock',
    'group/default/payments',
    'group/default/identity',
    'group/default/messaging',
    'system/default/billing',
  ]) {
    await waitForEntity(backend, ref);
  }
}
