import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import {
  freePort,
  startPostgres,
  type ThrowawayPostgres,
  tempDir,
} from '@paver/test-utils';
import type { BackendProcess } from '../backend/backendProcess';
import { git } from '@paver/plugin-scaffolder-backend-module-paver/testUtils';
import { guestToken, logOf } from '../scaffolder/scaffolderApi';
import { leaksIn, makeCanary } from './canary';
import {
  SCAFFOLDER_DB,
  billingAnswers,
  dumpAllDatabases,
  psqlRows,
  recordStoredWorkspaces,
  startPaverBackend,
  storedWorkspaceVersions,
  submitTask,
  taskEvents,
  waitForTaskEnd,
  workspaceFiles,
} from './support';

const run = promisify(execFile);

/**
 * docs/reliability.md, row 11: a secret given to a task (the scaffolder's `secrets`, where the Create
 * page puts `ui:field: Secret` answers) never lands in the task's events, the backend's log, any
 * row of any database, the answers file or the published repository, as is or transformed.
 *
 * paver:render reads only `input.values` (never `ctx.secrets`) and no golden path references
 * `${{ secrets.* }}`, so the transforms are what a future template or a careless log line could
 * produce; they are all searched for. Run as production runs tasks: `scaffolder.taskRecovery.enabled`,
 * the mode that keeps secrets in the tasks table while a task runs (they must be gone once it
 * ends), with the database workspace provider, which stores the workspace in the scaffolder's
 * database after each step and checkpoint and deletes it when the task completes; a trigger keeps
 * a copy of every stored version so all of them can be searched afterwards.
 */
describe('a secret passed to a task', () => {
  const name = 'canary-billing';
  const canary = makeCanary();
  let pg: ThrowawayPostgres;
  let dataDir: string;
  let workingDirectory: string;
  let backend: BackendProcess;
  let token: string;
  let taskId: string;

  beforeAll(async () => {
    pg = await startPostgres();
    dataDir = await tempDir('paver-canary-data-');
    workingDirectory = await tempDir('paver-canary-work-');
    backend = await startPaverBackend({
      port: await freePort(),
      pg,
      dataDir,
      workingDirectory,
      scaffolder: {
        taskRecovery: { enabled: true, workspaceProvider: 'database' },
      },
    });
    await recordStoredWorkspaces(pg);
    token = await guestToken(backend);
    taskId = await submitTask(backend, token, await billingAnswers(name), {
      apiToken: canary.value,
    });
    const status = await waitForTaskEnd(backend, token, taskId);
    if (status !== 'completed') {
      const log = logOf(await taskEvents(backend, token, taskId));
      throw new Error(`the task ended ${status}, not completed:\n${log}`);
    }
  }, 600_000);

  afterAll(async () => {
    await backend?.stop();
    await pg?.stop();
  }, 120_000);

  it("is not in the task's events or the backend's log", async () => {
    expect(
      leaksIn(canary, JSON.stringify(await taskEvents(backend, token, taskId))),
    ).toEqual([]);
    expect(leaksIn(canary, backend.output())).toEqual([]);
  });

  it('is not in any row of any database of the cluster once the task ended', async () => {
    const dumps = await dumpAllDatabases(pg);
    // The scaffolder's own database is among them, and holds the task.
    const scaffolderDb = Object.keys(dumps).find(db =>
      db.includes('scaffolder'),
    );
    expect(scaffolderDb, Object.keys(dumps).join(', ')).toBeDefined();
    expect(dumps[scaffolderDb!]).toContain(taskId);
    for (const [db, dump] of Object.entries(dumps)) {
      expect(leaksIn(canary, dump), db).toEqual([]);
    }
  });

  it('is not in any workspace the scaffolder stored in the database while the task ran', async () => {
    const versions = await storedWorkspaceVersions(pg, taskId);
    // Stored after each of the 3 steps and each checkpoint; the last one deleted at completion.
    expect(versions.length).toBeGreaterThanOrEqual(3);
    expect(
      await psqlRows(
        pg,
        SCAFFOLDER_DB,
        `select task_id from scaffolder_task_workspaces where task_id = '${taskId}'`,
      ),
    ).toEqual([]);
    for (const [index, tar] of versions.entries()) {
      // The archive itself (names, headers, link targets), then every file unpacked.
      expect(
        leaksIn(canary, tar.toString('latin1')),
        `version ${index}`,
      ).toEqual([]);
      for (const [file, bytes] of await workspaceFiles(tar)) {
        expect(
          leaksIn(canary, bytes.toString('latin1')),
          `version ${index}: ${file}`,
        ).toEqual([]);
      }
    }
    // The first version is stored before anything is rendered; the last holds the rendered service.
    const last = await workspaceFiles(versions[versions.length - 1]);
    expect(
      last.get('catalog-info.yaml')?.toString('utf8'),
      [...last.keys()].join(', '),
    ).toContain(`name: ${name}`);
  });

  it('is not in the answers file, any file, any commit or any object of the published repository', async () => {
    const bare = path.join(dataDir, 'git', `${name}.git`);
    const clone = path.join(await tempDir('paver-canary-clone-'), name);
    await git(['clone', '--quiet', bare, clone]);
    const answers = await fs.readFile(
      path.join(clone, '.paver/answers.yaml'),
      'utf8',
    );
    expect(answers).toContain(`name: ${name}`);
    expect(leaksIn(canary, answers)).toEqual([]);

    // Every file of the working tree, byte for byte.
    const { stdout: files } = await run('git', ['-C', clone, 'ls-files', '-z']);
    for (const file of files.split('\0').filter(Boolean)) {
      const text = (await fs.readFile(path.join(clone, file))).toString(
        'latin1',
      );
      expect(leaksIn(canary, text), file).toEqual([]);
    }
    // Every object in the bare repository (all history, messages included) and its config.
    const objects = await git([
      '--git-dir',
      bare,
      'cat-file',
      '--batch-all-objects',
      '--batch',
    ]);
    expect(objects).toContain('Initial commit from');
    expect(leaksIn(canary, objects)).toEqual([]);
    expect(
      leaksIn(canary, await fs.readFile(path.join(bare, 'config'), 'utf8')),
    ).toEqual([]);
    expect(
      leaksIn(
        canary,
        await fs.readFile(path.join(bare, 'description'), 'utf8'),
      ),
    ).toEqual([]);
  });

  it('leaves no workspace behind that could hold it', async () => {
    expect(await fs.readdir(workingDirectory)).toEqual([]);
  });
});
