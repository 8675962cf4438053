import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { freePort, tempDir } from '@paver/test-utils';
import { REPO_ROOT, type BackendProcess } from '../backend/backendProcess';
import {
  guestToken,
  logOf,
  runTask,
  waitForEntity,
} from '../scaffolder/scaffolderApi';
import { billingAnswers, gitDirEntries, startPaverBackend } from './support';

const run = promisify(execFile);

const TMPFS_SIZE = '8m';
/** Free bytes left by the filler: far less than a rendered billing service (~300 KiB on tmpfs). */
const HEADROOM = 64 * 1024;
const BILLING = 'template:default/billing-service';

/**
 * docs/reliability.md, Faults row 8: "a template throws, or the disk fills → only that task fails; its
 * workspace is removed; the worker keeps serving". One backend (in-memory SQLite) whose
 * `backend.workingDirectory` is a tmpfs mounted by the test, so the test can fill it; the golden
 * paths are a copy of billing-service and its fragments plus `throwing-service/` (this folder),
 * whose skeleton reads an answer that does not exist.
 */
describe('a template that throws, and a disk that fills', () => {
  let workingDirectory: string;
  let mounted = false;
  let dataDir: string;
  let backend: BackendProcess | undefined;
  let token: string;

  beforeAll(async () => {
    workingDirectory = await tempDir('paver-tmpfs-work-');
    try {
      await run('mount', [
        '-t',
        'tmpfs',
        '-o',
        `size=${TMPFS_SIZE}`,
        'tmpfs',
        workingDirectory,
      ]);
      mounted = true;
    } catch (error) {
      // Not a skip: without a disk it can fill, this row has no test.
      throw new Error(
        `the disk-full case needs a small tmpfs as the scaffolder's working directory, and ` +
          `"mount -t tmpfs -o size=${TMPFS_SIZE} tmpfs ${workingDirectory}" failed (it needs root or CAP_SYS_ADMIN): ` +
          `${(error as { stderr?: string }).stderr?.trim() || error}`,
      );
    }
    const templatesDir = await tempDir('paver-templates-');
    for (const [from, to] of [
      [path.join(REPO_ROOT, 'templates/billing-service'), 'billing-service'],
      [path.join(REPO_ROOT, 'templates/_fragments'), '_fragments'],
      [path.join(__dirname, 'throwing-service'), 'throwing-service'],
    ]) {
      await fs.cp(from, path.join(templatesDir, to), { recursive: true });
    }
    dataDir = await tempDir('paver-failure-data-');
    backend = await startPaverBackend({
      port: await freePort(),
      dataDir,
      workingDirectory,
      paver: { templates: { dir: templatesDir } },
      extraTemplates: [
        path.join(templatesDir, 'throwing-service/template.yaml'),
      ],
    });
    await waitForEntity(backend, 'template/default/throwing-service');
    token = await guestToken(backend);
  }, 300_000);

  afterAll(async () => {
    await backend?.stop();
    if (mounted) await run('umount', [workingDirectory]);
  }, 120_000);

  it('fails only the task whose template throws, naming the file, removes its workspace, then creates normally', async () => {
    const thrown = await runTask(
      backend!,
      token,
      'template:default/throwing-service',
      await billingAnswers('throwing-svc'),
    );
    const log = logOf(thrown.events);
    expect(thrown.status, log).toBe('failed');
    // Step 1 had filled the workspace with the rendered billing service before step 2 threw.
    expect(log).toMatch(/Rendered billing-service@\S+: \d+ files/);
    expect(log).toMatch(/BROKEN\.md\.hbs: "pagerRotation" not defined/);
    expect(await fs.readdir(workingDirectory), 'workspace left behind').toEqual(
      [],
    );
    expect(await gitDirEntries(dataDir)).toEqual([]);

    const next = await runTask(
      backend!,
      token,
      BILLING,
      await billingAnswers('after-throw'),
    );
    expect(next.status, logOf(next.events)).toBe('completed');
    expect(await gitDirEntries(dataDir)).toEqual(['after-throw.git']);
    expect(await fs.readdir(workingDirectory), 'workspace left behind').toEqual(
      [],
    );
  }, 300_000);

  it('fails only the create that fills the disk, naming ENOSPC, leaves no partial file, and creates once space is freed', async () => {
    const filler = path.join(workingDirectory, 'filler');
    const free = await freeBytes(workingDirectory);
    await fs.writeFile(filler, Buffer.alloc(free - HEADROOM));
    const freeBefore = await freeBytes(workingDirectory);
    expect(freeBefore).toBeLessThanOrEqual(HEADROOM);

    const full = await runTask(
      backend!,
      token,
      BILLING,
      await billingAnswers('disk-full'),
    );
    const log = logOf(full.events);
    expect(full.status, log).toBe('failed');
    expect(log).toMatch(/ENOSPC: no space left on device/);
    // No workspace, no staging folder, not a byte more used than before the task.
    expect(await fs.readdir(workingDirectory)).toEqual(['filler']);
    expect(await freeBytes(workingDirectory)).toBe(freeBefore);
    expect(await gitDirEntries(dataDir)).not.toContain('disk-full.git');

    // Space freed: the same service (its name was never claimed) now creates normally.
    await fs.rm(filler);
    const retry = await runTask(
      backend!,
      token,
      BILLING,
      await billingAnswers('disk-full'),
    );
    expect(retry.status, logOf(retry.events)).toBe('completed');
    expect(await gitDirEntries(dataDir)).toContain('disk-full.git');
    expect(await fs.readdir(workingDirectory), 'workspace left behind').toEqual(
      [],
    );
  }, 300_000);
});

async function freeBytes(dir: string): Promise<number> {
  const stats = await fs.statfs(dir);
  return stats.bavail * stats.bsize;
}
