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
  waitForTaskEnd,
  throwawayDeployment,
} from './support';
import { bareRepoFacts } from '@paver/plugin-scaffolder-backend-module-paver/testUtils';

const TASKS = 20;

/**
 * docs/reliability.md, Faults row 9: two backend replicas on one PostgreSQL, each with its own task
 * worker, the same local data folder (the shared volume a real deployment would mount) and default
 * scaffolder settings. Twenty tasks, submitted alternately to each, must each run exactly once.
 */
describe('two backend replicas sharing one PostgreSQL', () => {
  const deployment = throwawayDeployment({
    dataDirPrefix: 'paver-replicas-data-',
    ports: 2,
  });
  const replicas = deployment.backends;

  beforeAll(async () => {
    const { pg, dataDir, ports } = deployment;
    // One after the other: the first runs the migrations, the second finds them done.
    for (const port of ports) {
      replicas.push(
        await startPaverBackend({
          port,
          pg,
          dataDir,
          workingDirectory: await tempDir(`paver-replica-${port}-work-`),
          readablePorts: ports,
          // Each replica here has its own backend.baseUrl (its port), where production's share
          // one. The scheduled reconciler (first run after a minute, which a loaded machine
          // reaches mid-test) would then register a repository whose task is still running under
          // its own URL, a second location for the same file. The reconciler is not what this
          // case is about; reconcile.e2e.test.ts covers it on the real backend.
          paver: { reconcile: { enabled: false } },
        }),
      );
    }
  }, 600_000);

  it(`runs each of ${TASKS} tasks exactly once: ${TASKS} repositories, one commit each, ${TASKS} Components`, async () => {
    const { dataDir } = deployment;
    const tokens = await Promise.all(replicas.map(r => guestToken(r)));
    const names = Array.from(
      { length: TASKS },
      (_, i) => `replica-svc-${String(i + 1).padStart(2, '0')}`,
    );
    const submitted: { name: string; id: string; via: number }[] = [];
    for (const [i, name] of names.entries()) {
      const via = i % 2;
      submitted.push({
        name,
        via,
        id: await submitTask(
          replicas[via],
          tokens[via],
          await billingAnswers(name),
        ),
      });
    }

    const results = await Promise.all(
      submitted.map(async t => {
        const status = await waitForTaskEnd(
          replicas[t.via],
          tokens[t.via],
          t.id,
          900_000,
        );
        const events = await taskEvents(replicas[t.via], tokens[t.via], t.id);
        return { ...t, status, events };
      }),
    );
    for (const r of results)
      expect(r.status, `${r.name}:\n${logOf(r.events)}`).toBe('completed');

    // Each step started once per task: no second worker picked the task up.
    for (const r of results) {
      for (const stepId of ['render', 'publish', 'register']) {
        const starts = r.events.filter(
          e => e.body.stepId === stepId && e.body.status === 'processing',
        );
        expect(starts, `${r.name} step ${stepId}`).toHaveLength(1);
      }
      expect(
        r.events.filter(e => e.type === 'completion'),
        r.name,
      ).toHaveLength(1);
    }

    // Both workers took part (the claim is a race on the shared table). The step log reaches only
    // the root logger of the replica that ran the step.
    const ranOn = results.map(r =>
      replicas.findIndex(b => b.output().includes(`Published ${r.name} to`)),
    );
    expect(
      new Set(ranOn.filter(i => i >= 0)).size,
      `tasks per replica: ${JSON.stringify(ranOn)}`,
    ).toBe(2);

    // Exactly the 20 repositories, each marked by its own task with a single commit.
    expect(await gitDirEntries(dataDir)).toEqual(names.map(n => `${n}.git`));
    for (const r of results) {
      const facts = await bareRepoFacts(
        path.join(dataDir, 'git', `${r.name}.git`),
      );
      expect(facts.marker, r.name).toBe(r.id);
      expect(facts.commits, r.name).toHaveLength(1);
    }

    // 20 Components, no duplicates, seen the same from both replicas; one location each.
    for (const replica of replicas) {
      const ours = (await components(replica))
        .map(c => c.metadata.name)
        .filter(n => n.startsWith('replica-svc-'));
      expect(ours.sort()).toEqual(names);
      const targets = await locationTargets(replica);
      expect(duplicates(targets)).toEqual({});
      for (const n of names)
        expect(
          targets.filter(t => t.includes(`/repos/${n}/`)),
          n,
        ).toHaveLength(1);
    }
  }, 1_800_000);
});
