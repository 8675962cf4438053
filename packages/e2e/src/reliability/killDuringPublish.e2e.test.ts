import path from 'node:path';
import { tempDir } from '@paver/test-utils';
import { guestToken, logOf } from '../scaffolder/scaffolderApi';
import {
  billingAnswers,
  components,
  duplicates,
  gitDirEntries,
  locationTargets,
  startPaverBackend,
  submitTask,
  taskEvents,
  waitForOutput,
  waitForTaskEnd,
  throwawayDeployment,
} from './support';
import { bareRepoFacts } from '@paver/plugin-scaffolder-backend-module-paver/testUtils';

/**
 * docs/reliability.md, Faults row 1: the backend is killed (SIGKILL) after `paver:repo:publish` created
 * the task's bare repository and before it pushed. Then the backend restarts on the same database.
 *
 * Recovery choice: `scaffolder.taskRecovery.enabled` (Backstage's successor to
 * `EXPERIMENTAL_recoverTasks`) with a 5 s `staleTimeout`. The restarted worker's recovery loop
 * (every 10 s) reopens the task whose heartbeat stopped, and the runner resumes it: the completed
 * render step is skipped, publish runs again and recognises its own repository by the
 * `paver.taskid` marker. The alternative, the stale-task janitor
 * (`scaffolder.taskTimeoutJanitorFrequency` + `scaffolder.taskTimeout`), can only fail the task,
 * and only after `taskTimeout` (24 h by default; a short one would also fail slow healthy tasks).
 * Task workspaces live in `backend.workingDirectory`, the same folder before and after the restart
 * (the same host), with no workspace provider, as in the embedded default; a resume on another host
 * is resumeOnOtherReplica.e2e.test.ts.
 */
describe('a backend killed between creating the repository and pushing', () => {
  const name = 'killed-billing';
  const deployment = throwawayDeployment({
    dataDirPrefix: 'paver-kill-data-',
    ports: 1,
  });

  const scaffolder = {
    taskRecovery: { enabled: true, staleTimeout: { seconds: 5 } },
  };

  it('resumes the task on restart: it completes, with one repository, one commit and one Component', async () => {
    const {
      pg,
      dataDir,
      ports: [port],
      backends,
    } = deployment;
    const workingDirectory = await tempDir('paver-kill-work-');
    const first = await startPaverBackend({
      port,
      pg,
      dataDir,
      workingDirectory,
      scaffolder,
      paver: { testing: { pauseAfterRepoCreateMs: 600_000 } },
    });
    backends.push(first);
    const token = await guestToken(first);
    const taskId = await submitTask(first, token, await billingAnswers(name));

    // The deterministic kill point: the bare repository exists, nothing is pushed yet.
    // (Without its "paver." prefix: the root logger redacts config secrets, and the throwaway
    // cluster's password is "paver".)
    await waitForOutput(first, `.testing: created repository ${name}; pausing`);
    const bare = path.join(dataDir, 'git', `${name}.git`);
    expect(await bareRepoFacts(bare)).toEqual({ marker: taskId, commits: [] });
    first.child.kill('SIGKILL');
    expect(await first.exited).toBeNull();

    // Same database, same data folder, same port; no pause this time.
    const second = await startPaverBackend({
      port,
      pg,
      dataDir,
      workingDirectory,
      scaffolder,
    });
    backends.push(second);
    const token2 = await guestToken(second);

    const status = await waitForTaskEnd(second, token2, taskId, 300_000);
    const events = await taskEvents(second, token2, taskId);
    expect(status, logOf(events)).toBe('completed');
    expect(
      events.some(e => e.type === 'recovered'),
      'the task was recovered, not rerun from scratch',
    ).toBe(true);
    expect(logOf(events)).toContain(
      'Skipping step render because it was already completed',
    );

    // Exactly one repository, the task's, with exactly one commit.
    expect(await gitDirEntries(dataDir)).toEqual([`${name}.git`]);
    const facts = await bareRepoFacts(bare);
    expect(facts.marker).toBe(taskId);
    expect(facts.commits).toHaveLength(1);

    // Exactly one Component of that name and one location for it.
    const ours = (await components(second)).filter(
      c => c.metadata.name === name,
    );
    expect(ours).toHaveLength(1);
    const targets = (await locationTargets(second)).filter(t =>
      t.includes(`/repos/${name}/`),
    );
    expect(targets).toHaveLength(1);
    expect(duplicates(await locationTargets(second))).toEqual({});
  }, 900_000);
});
