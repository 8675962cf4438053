import fs from 'node:fs/promises';
import path from 'node:path';
import { TEST_PLATFORM, tempDir } from '@paver/test-utils';
import { loadTemplate, renderToMemory } from '@paver/golden-path';
import { REPO_ROOT } from '../backend/backendProcess';
import { guestToken, logOf } from '../scaffolder/scaffolderApi';
import {
  billingAnswers,
  components,
  duplicates,
  gitBlobId,
  gitDirEntries,
  locationTargets,
  psqlRows,
  pushedTree,
  startPaverBackend,
  submitTask,
  taskEvents,
  waitForOutput,
  waitForTaskEnd,
  throwawayDeployment,
} from './support';
import { bareRepoFacts } from '@paver/plugin-scaffolder-backend-module-paver/testUtils';

/** Where Backstage keeps the scaffolder's tables on PostgreSQL (one database per plugin). */
const SCAFFOLDER_DB = 'backstage_plugin_scaffolder';

/**
 * docs/reliability.md, Faults rows 1 and 9 together: replica A renders the service and creates the
 * repository, then dies (SIGKILL) before the push; replica B, another host with its own
 * `backend.workingDirectory`, recovers the task. The completed render step is skipped, so B has
 * the rendered files only if the workspace travelled through the database:
 * `scaffolder.taskRecovery.workspaceProvider: database`
 * (`@backstage/plugin-scaffolder-backend-module-workspace-database`), which stores the workspace
 * after each step and checkpoint and restores it when a task starts. Without it, B's publish finds
 * an empty workspace and the task fails ("nothing to publish").
 */
describe('a task resumed on another replica', () => {
  const name = 'moved-billing';
  const deployment = throwawayDeployment({
    dataDirPrefix: 'paver-moved-data-',
    ports: 2,
  });

  const scaffolder = {
    taskRecovery: {
      enabled: true,
      staleTimeout: { seconds: 5 },
      workspaceProvider: 'database',
    },
  };

  it('completes on replica B with the service replica A rendered: one repository, one commit, the full tree, one Component', async () => {
    const { pg, dataDir, ports, backends } = deployment;
    const [portA, portB] = ports;
    // Two hosts: each its own working directory; the data folder is the shared volume.
    const workA = await tempDir('paver-moved-work-a-');
    const workB = await tempDir('paver-moved-work-b-');
    const a = await startPaverBackend({
      port: portA,
      pg,
      dataDir,
      workingDirectory: workA,
      readablePorts: ports,
      scaffolder,
      paver: { testing: { pauseAfterRepoCreateMs: 600_000 } },
    });
    backends.push(a);
    const answers = await billingAnswers(name);
    const taskId = await submitTask(a, await guestToken(a), answers);

    // The kill point (see killDuringPublish.e2e.test.ts): rendered, repository created, no push.
    await waitForOutput(a, `.testing: created repository ${name}; pausing`);
    const bare = path.join(dataDir, 'git', `${name}.git`);
    expect(await bareRepoFacts(bare)).toEqual({ marker: taskId, commits: [] });
    const stored = `select task_id from scaffolder_task_workspaces where task_id = '${taskId}'`;
    expect(
      await psqlRows(pg, SCAFFOLDER_DB, stored),
      'the rendered workspace is in the database',
    ).toEqual([[taskId]]);

    // Replica B starts while A still holds the task (its heartbeat is fresh), then A dies.
    const b = await startPaverBackend({
      port: portB,
      pg,
      dataDir,
      workingDirectory: workB,
      readablePorts: ports,
      scaffolder,
    });
    backends.push(b);
    a.child.kill('SIGKILL');
    expect(await a.exited).toBeNull();

    const token = await guestToken(b);
    const status = await waitForTaskEnd(b, token, taskId, 300_000);
    const events = await taskEvents(b, token, taskId);
    expect(status, logOf(events)).toBe('completed');
    expect(
      events.some(e => e.type === 'recovered'),
      'the task was recovered, not rerun from scratch',
    ).toBe(true);
    expect(logOf(events)).toContain(
      'Skipping step render because it was already completed',
    );
    expect(b.output(), 'B published').toContain(`Published ${name} to`);
    expect(a.output(), 'A never published').not.toContain(
      `Published ${name} to`,
    );

    // Exactly one repository, the task's, with one commit holding the full rendered service.
    expect(await gitDirEntries(dataDir)).toEqual([`${name}.git`]);
    const facts = await bareRepoFacts(bare);
    expect(facts.marker).toBe(taskId);
    expect(facts.commits).toHaveLength(1);
    const expected = renderToMemory(
      loadTemplate(path.join(REPO_ROOT, 'templates/billing-service')),
      answers,
      // What every replica renders with (support/deployment.ts): one registry, no dashboard.
      {
        platform: {
          ...TEST_PLATFORM,
          dashboardUrlPattern: null,
          githubOrg: null,
        },
      },
    );
    const tree = await pushedTree(bare);
    expect(
      tree.has('catalog-info.yaml') && tree.has('package.json'),
      [...tree.keys()].join('\n'),
    ).toBe(true);
    expect(Object.fromEntries(tree)).toEqual(
      Object.fromEntries(
        [...expected].map(([file, bytes]) => [file, gitBlobId(bytes)]),
      ),
    );

    // Exactly one Component of that name and one location for it.
    const ours = (await components(b)).filter(c => c.metadata.name === name);
    expect(ours).toHaveLength(1);
    const targets = (await locationTargets(b)).filter(t =>
      t.includes(`/repos/${name}/`),
    );
    expect(targets).toHaveLength(1);
    expect(duplicates(await locationTargets(b))).toEqual({});

    // Nothing left behind on B: the stored workspace is deleted on completion, the folder removed.
    expect(await psqlRows(pg, SCAFFOLDER_DB, stored)).toEqual([]);
    expect(await fs.readdir(workB)).not.toContain(taskId);
  }, 900_000);
});
