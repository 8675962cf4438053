// Packs the @paver packages and serves them as the portal does, without a portal: for
// `paver new --npm-registry <url>` or `paver template test` on a machine with no portal running.
//
//   yarn packages:serve [--port 4873]     (Ctrl-C stops it)
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { serveRegistry } from '@paver/plugin-scaffolder-backend-module-paver/testUtils';
import { packPackages } from './packPackages';

async function main() {
  const index = process.argv.indexOf('--port');
  const port = index === -1 ? 4873 : Number(process.argv[index + 1]);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(
      `--port must be a port number, got ${process.argv[index + 1]}`,
    );
  }
  const dir = await mkdtemp(path.join(tmpdir(), 'paver-registry-'));
  await packPackages(dir, message => console.error(`[registry] ${message}`));
  const registry = await serveRegistry(dir, port);
  console.log(registry.url);
  const stop = async () => {
    await registry.close();
    await rm(dir, { recursive: true, force: true });
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch(error => {
  console.error(`[registry] failed: ${error?.message ?? error}`);
  process.exit(1);
});
