import fs from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import {
  freePort,
  startPostgres,
  type ThrowawayPostgres,
  tempDir,
} from '@paver/test-utils';
import { TEST_TOKEN, type BackendProcess } from '../backend/backendProcess';
import { api, guestToken, logOf } from '../scaffolder/scaffolderApi';
import {
  billingAnswers,
  components,
  duplicates,
  gitDirEntries,
  locationTargets,
  psqlRows,
  sleep,
  startPaverBackend,
  submitTask,
  taskEvents,
  waitForOutput,
  waitForTaskEnd,
} from './support';
import { bareRepoFacts } from '@paver/plugin-scaffolder-backend-module-paver/testUtils';

const OUTAGE_MS = 30_000;
/** The task's first attempt sleeps this long after creating its repository, across the outage. */
const PAUSE_MS = 60_000;
const BULK = 300;
const bulkName = (i: number) => `bulk-${String(i).padStart(4, '0')}`;

/**
 * docs/reliability.md, Faults row 2: PostgreSQL stops (`pg_ctl stop -m fast`, open sessions get 57P01)
 * for 30 s while a billing-service create is held at its publish step and the catalog is ingesting
 * a freshly registered location of 300 Components. Default scaffolder and catalog settings
 * (app-config.yaml: task recovery on, 30 s stale timeout).
 *
 * Holds, and is asserted: every API call during the outage answers 503 naming the database
 * (packages/backend/src/modules/databaseUnavailable.ts), the process stays up, the APIs answer
 * again once PostgreSQL is back, the task completes with one repository, one commit and one
 * Component, each of its steps ran once and it was never recovered (Paver's patch of the
 * scaffolder's heartbeat and recovery, root README "Patches"), no task is left `processing`, no
 * workspace is left behind, and every Component of the location ends up served by name and in the
 * catalog's filtered lists (those Backstage 1.55 loses between two writes it does not make
 * atomically are requeued by Paver's catalog stitch repair, `paver.catalogRepair.frequency` 5 s
 * here).
 */
describe('PostgreSQL stopped for 30 s mid-task and mid-processing', () => {
  const name = 'outage-billing';
  let pg: ThrowawayPostgres;
  let backend: BackendProcess | undefined;
  let bulkServer: http.Server | undefined;
  let dataDir: string;
  let workingDirectory: string;

  beforeAll(async () => {
    pg = await startPostgres();
    dataDir = await tempDir('paver-pgout-data-');
    workingDirectory = await tempDir('paver-pgout-work-');
  }, 120_000);

  afterAll(async () => {
    await backend?.stop();
    await pg?.stop();
    bulkServer?.close();
  }, 120_000);

  it('answers 503 during the outage, survives, then completes the task (one repository, one Component) and processes the location', async () => {
    // The location's file, served over HTTP by the test (a url location, as users register them).
    const bulkYaml = Array.from(
      { length: BULK },
      (_, i) =>
        `apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: ${bulkName(
          i,
        )}\nspec:\n  type: service\n  lifecycle: experimental\n  owner: group:default/payments\n`,
    ).join('---\n');
    bulkServer = http.createServer((_req, res) =>
      res.writeHead(200, { 'content-type': 'text/yaml' }).end(bulkYaml),
    );
    await new Promise<void>(resolve =>
      bulkServer!.listen(0, '127.0.0.1', resolve),
    );
    const bulkPort = (bulkServer.address() as AddressInfo).port;
    const port = await freePort();
    backend = await startPaverBackend({
      port,
      pg,
      dataDir,
      workingDirectory,
      extraReadingAllow: [{ host: `localhost:${bulkPort}` }],
      // The stitch repair (catalog-backend-module-paver) every 5 s instead of every minute.
      paver: {
        testing: { pauseAfterRepoCreateMs: PAUSE_MS },
        catalogRepair: { frequency: { seconds: 5 } },
      },
    });
    const token = await guestToken(backend);

    // Mid-task: the repository exists, the first attempt sleeps before pushing.
    const taskId = await submitTask(backend, token, await billingAnswers(name));
    await waitForOutput(
      backend,
      `.testing: created repository ${name}; pausing`,
    );
    const pauseStarted = Date.now();
    // Mid-processing: the location's Components are arriving.
    await api(backend, '/api/catalog/locations', {
      method: 'POST',
      body: JSON.stringify({
        type: 'url',
        target: `http://localhost:${bulkPort}/bulk/catalog-info.yaml`,
      }),
    });
    let listedBeforeOutage = 0;
    await until(
      async () =>
        (listedBeforeOutage = (
          await listedNames(backend!)
        ).filter(n => n.startsWith('bulk-')).length) > 0,
      60_000,
      'the first bulk Component',
      // The catalog ingests the 300 in a few seconds: look often, or the outage starts after.
      100,
    );

    await pg.stopServer('fast');
    expect(
      listedBeforeOutage,
      'the outage begins while the location is being ingested',
    ).toBeLessThan(BULK);
    const outageStarted = Date.now();
    const answers: Probe[] = [];
    while (Date.now() - outageStarted < OUTAGE_MS) {
      answers.push(
        ...(await Promise.all([
          probe(backend, '/api/catalog/entities?limit=5', TEST_TOKEN),
          probe(
            backend,
            '/api/catalog/entities/by-name/group/default/payments',
            TEST_TOKEN,
          ),
          probe(backend, `/api/scaffolder/v2/tasks/${taskId}`, token),
        ])),
      );
      expect(
        backend.child.exitCode,
        'the backend process is alive during the outage',
      ).toBeNull();
      await sleep(2_000);
    }
    await pg.startServer();

    const catalogAnswers = answers.filter(a =>
      a.path.startsWith('/api/catalog/'),
    );
    const scaffolderAnswers = answers.filter(a =>
      a.path.startsWith('/api/scaffolder/'),
    );
    expect(catalogAnswers.length).toBeGreaterThan(10);
    for (const a of catalogAnswers)
      expect(a, a.path).toMatchObject(unavailable('catalog'));
    for (const a of scaffolderAnswers)
      expect(a, a.path).toMatchObject(unavailable('scaffolder'));

    // Back: the APIs answer again without a restart.
    await until(
      async () =>
        (
          await probe(backend!, '/api/catalog/entities?limit=1', TEST_TOKEN)
        ).status === 200,
      60_000,
      'the catalog API',
    );
    await until(
      async () =>
        (
          await probe(backend!, `/api/scaffolder/v2/tasks/${taskId}`, token)
        ).status === 200,
      60_000,
      'the scaffolder API',
    );

    // The task completes; then let the first attempt's pause run out, so whatever it does after
    // waking is part of what is measured below.
    const status = await waitForTaskEnd(backend, token, taskId, 300_000);
    await sleep(Math.max(0, pauseStarted + PAUSE_MS + 10_000 - Date.now()));
    const events = await taskEvents(backend, token, taskId);
    expect(status, logOf(events)).toBe('completed');
    expect(
      backend.child.exitCode,
      'the backend process is alive after the outage',
    ).toBeNull();

    expect(await gitDirEntries(dataDir)).toEqual([`${name}.git`]);
    const facts = await bareRepoFacts(path.join(dataDir, 'git', `${name}.git`));
    expect(facts.marker).toBe(taskId);
    expect(facts.commits).toHaveLength(1);
    expect(
      (await components(backend)).filter(c => c.metadata.name === name),
    ).toHaveLength(1);
    expect(
      (await locationTargets(backend)).filter(t =>
        t.includes(`/repos/${name}/`),
      ),
    ).toHaveLength(1);
    expect(duplicates(await locationTargets(backend))).toEqual({});
    const processing = await api<{ totalTasks: number }>(
      backend,
      '/api/scaffolder/v2/tasks?status=processing',
      {},
      token,
    );
    expect(processing.totalTasks, 'tasks left processing').toBe(0);
    expect(
      await fs.readdir(workingDirectory),
      'workspaces left behind',
    ).toEqual([]);

    // One attempt: the heartbeat kept beating through the outage, so recovery never reopened the task.
    expect(
      events.filter(e => e.type === 'recovered'),
      'recovery of a running task',
    ).toEqual([]);
    for (const stepId of ['render', 'publish', 'register']) {
      const starts = events.filter(
        e => e.body.stepId === stepId && e.body.status === 'processing',
      );
      expect(starts, `step ${stepId} started`).toHaveLength(1);
    }
    // The outage did reach the task's heartbeat, which beat again once PostgreSQL was back.
    expect(backend.output()).toContain(
      `Heartbeat for task ${taskId} failed; retrying every second`,
    );
    expect(backend.output()).toMatch(
      new RegExp(
        `Heartbeat for task ${taskId} succeeded again after failing for \\d+ s`,
      ),
    );

    // The catalog: every Component of the location listed (the by-query filter reads the `search`
    // rows) and served by name. One cut between two of the catalog's writes is requeued by Paver's
    // stitch repair (every 5 s here; a stitch cut before its search rows 60 s after it wrote);
    // one whose processing failed during the outage is retried after the 100-150 s processing
    // interval, hence the bound.
    const expected = Array.from({ length: BULK }, (_, i) => bulkName(i));
    const missing = () =>
      listedNames(backend!).then(listed =>
        expected.filter(n => !listed.includes(n)),
      );
    await until(
      async () => (await missing()).length === 0,
      180_000,
      'every bulk Component listed',
    ).catch(() => undefined);
    expect(
      await classify(pg, await missing()),
      'Components not listed, by what the catalog tables hold',
    ).toEqual({
      unprocessed: [],
      neverStitched: [],
      noSearchRows: [],
      unexplained: [],
    });
    const notByName: string[] = [];
    const running = backend!;
    const byName = (n: string) =>
      probe(
        running,
        `/api/catalog/entities/by-name/component/default/${n}`,
        TEST_TOKEN,
      );
    for (let i = 0; i < BULK; i += 20) {
      const served = await Promise.all(expected.slice(i, i + 20).map(byName));
      notByName.push(
        ...served
          .filter(a => a.status !== 200)
          .map(a => `${a.path}: ${a.status}`),
      );
    }
    expect(notByName, 'Components not served by name').toEqual([]);
    // Whether this run hit the gaps the repair closes (they are timing-dependent).
    const repairs = backend
      .output()
      .split('\n')
      .filter(l => l.includes('catalog entities for stitching'));
    console.log(
      `Catalog stitch repair: ${
        repairs.length > 0 ? repairs.join('\n') : 'nothing to queue in this run'
      }`,
    );
  }, 900_000);
});

interface Probe {
  path: string;
  status: number;
  body: string;
}

async function probe(
  backend: BackendProcess,
  urlPath: string,
  token: string,
): Promise<Probe> {
  try {
    const res = await fetch(`${backend.baseUrl}${urlPath}`, {
      headers: { authorization: `Bearer ${token}` },
      signal: AbortSignal.timeout(20_000),
    });
    return { path: urlPath, status: res.status, body: await res.text() };
  } catch (error) {
    return { path: urlPath, status: 0, body: String(error) };
  }
}

function unavailable(pluginId: string) {
  return {
    status: 503,
    body: expect.stringMatching(
      new RegExp(
        `"name": ?"ServiceUnavailableError".*The ${pluginId} database is unavailable \\(`,
        's',
      ),
    ),
  };
}

/** The names of every Component the catalog lists (its `search` table answers the filter). */
async function listedNames(backend: BackendProcess): Promise<string[]> {
  return (await components(backend)).map(c => c.metadata.name);
}

async function until(
  check: () => Promise<boolean>,
  boundMs: number,
  what: string,
  everyMs = 2_000,
): Promise<void> {
  const deadline = Date.now() + boundMs;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return;
    await sleep(everyMs);
  }
  throw new Error(`timed out after ${boundMs} ms waiting for ${what}`);
}

/**
 * Why each missing Component is missing, read from the catalog's tables (with the stitch repair
 * running, the second and third should stay empty):
 * - `unprocessed`: no processed entity in `refresh_state` (processing never succeeded);
 * - `neverStitched`: processed, but no stitched entity and nothing queued to stitch. The engine
 *   commits the processing result (and its hash) and only then, separately, queues the stitch;
 *   cut in between, later runs see an unchanged hash and never queue it;
 * - `noSearchRows`: stitched, but without `search` rows. Stitching writes `final_entities`, then
 *   the search rows; cut in between, the retried stitch sees an unchanged hash and skips both;
 * - `unexplained`: anything else (e.g. still queued, or in `search` but not listed).
 */
async function classify(pg: ThrowawayPostgres, names: string[]) {
  const gaps = {
    unprocessed: [] as string[],
    neverStitched: [] as string[],
    noSearchRows: [] as string[],
    unexplained: [] as string[],
  };
  if (names.length === 0) return gaps;
  const refs = names.map(n => `('component:default/${n}')`).join(', ');
  const rows = await psqlRows(
    pg,
    'backstage_plugin_catalog',
    `select r.ref,
            rs.processed_entity is not null,
            fe.final_entity is not null,
            exists (select 1 from stitch_queue sq where sq.entity_ref = r.ref),
            (select count(*) from search s where s.entity_id = rs.entity_id)
       from (values ${refs}) as r(ref)
       left join refresh_state rs on rs.entity_ref = r.ref
       left join final_entities fe on fe.entity_id = rs.entity_id`,
  );
  for (const [ref, processed, stitched, queued, searchRows] of rows) {
    const n = ref.replace('component:default/', '');
    if (processed !== 't') gaps.unprocessed.push(n);
    else if (stitched !== 't' && queued !== 't') gaps.neverStitched.push(n);
    else if (stitched === 't' && queued !== 't' && searchRows === '0')
      gaps.noSearchRows.push(n);
    else
      gaps.unexplained.push(
        `${n} (processed ${processed}, stitched ${stitched}, queued ${queued}, search rows ${searchRows})`,
      );
  }
  return gaps;
}
