import fs from 'node:fs/promises';
import path from 'node:path';
import { coreServices } from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { fixedService, recordingScheduler } from '@paver/test-utils';
import type { ConfigReader } from '@backstage/config';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { LocalRepositories } from '../local/localRepositories';
import { platformUserInfoFactory } from '../__testUtils__/platformUserInfo';
import { tempDir } from '../__testUtils__/mockContext';
import { paverReconcilerModule } from '../modules/reconcilerModule';
import { FakeLocationCatalog } from './fakeLocationCatalog';
import { RECONCILE_TASK_ID } from './install';

type JsonObject = NonNullable<ConstructorParameters<typeof ConfigReader>[0]>;

/** The module as the backend starts it, with a catalog that records, a scheduler that records. */
async function start(paver: JsonObject) {
  const catalog = new FakeLocationCatalog();
  const { scheduler, scheduled } = recordingScheduler();
  const backend = await startTestBackend({
    features: [
      paverReconcilerModule,
      fixedService(catalogServiceRef, catalog as never),
      fixedService(coreServices.scheduler, scheduler),
      platformUserInfoFactory,
      mockServices.rootConfig.factory({ data: { paver } }),
      mockServices.httpAuth.factory({
        defaultCredentials: mockCredentials.none(),
      }),
    ],
  });
  const post = (authorization?: string, method = 'POST') =>
    fetch(
      `http://localhost:${backend.server.port()}/api/scaffolder/paver/reconcile`,
      {
        method,
        headers: authorization ? { authorization } : {},
      },
    );
  return { backend, catalog, scheduled, post };
}

async function publishedDataDir(): Promise<string> {
  const dataDir = await tempDir('paver-reconcile-wiring-');
  const repos = new LocalRepositories(dataDir);
  const source = await tempDir('paver-reconcile-wiring-ws-');
  await fs.writeFile(
    path.join(source, 'catalog-info.yaml'),
    'kind: Component\n',
  );
  await repos.claim('billing-api', 'task-1');
  await repos.push('billing-api', source, 'Initial commit');
  await repos.checkout('billing-api');
  return dataDir;
}

describe('the reconciler as the module wires it', () => {
  it('schedules one cluster-wide task, every 10 minutes after a minute, that registers what is missing', async () => {
    const { backend, catalog, scheduled } = await start({
      publish: { local: { dataDir: await publishedDataDir() } },
    });

    expect(scheduled).toHaveLength(1);
    expect(scheduled[0]).toMatchObject({
      id: RECONCILE_TASK_ID,
      scope: 'global',
      frequency: { minutes: 10 },
      initialDelay: { minutes: 1 },
    });
    await scheduled[0].fn(new AbortController().signal);
    expect(catalog.added.map(a => a.target)).toEqual([
      `http://localhost:${backend.server.port()}/api/scaffolder/paver/repos/billing-api/contents/catalog-info.yaml`,
    ]);
    await backend.stop();
  });

  it('takes its frequency from config, and schedules nothing when disabled', async () => {
    const dataDir = await tempDir();
    const every3 = await start({
      publish: { local: { dataDir } },
      reconcile: { frequency: { minutes: 3 } },
    });
    expect(every3.scheduled[0].frequency).toEqual({ minutes: 3 });
    await every3.backend.stop();

    const off = await start({
      publish: { local: { dataDir } },
      reconcile: { enabled: false },
    });
    expect(off.scheduled).toEqual([]);
    // The on-demand route is still there.
    expect((await off.post(mockCredentials.service.header())).status).toBe(200);
    await off.backend.stop();
  });

  it('runs on demand for a service or a platform member and answers the report; anyone else is refused', async () => {
    const { backend, catalog, post } = await start({
      publish: { local: { dataDir: await publishedDataDir() } },
    });

    expect((await post()).status).toBe(401);
    expect(
      (await post(mockCredentials.user.header('user:default/guest'))).status,
    ).toBe(403);
    expect(catalog.added).toEqual([]);

    const asService = await post(mockCredentials.service.header());
    expect(asService.status).toBe(200);
    expect(await asService.json()).toMatchObject({
      provider: 'local',
      checked: 1,
      registered: [{ repo: 'billing-api', taskId: 'task-1' }],
      failed: [],
    });

    const asPlatform = await post(
      mockCredentials.user.header('user:default/plat'),
    );
    expect(asPlatform.status).toBe(200);
    expect(await asPlatform.json()).toMatchObject({
      checked: 1,
      alreadyRegistered: 1,
      registered: [],
    });
    expect(catalog.added).toHaveLength(1);

    // Only POST runs it.
    expect((await post(mockCredentials.service.header(), 'GET')).status).toBe(
      404,
    );
    await backend.stop();
  });

  it('answers 503 and schedules nothing when GitHub publishing has no owner to list', async () => {
    const { backend, scheduled, post } = await start({
      publish: { provider: 'github' },
    });
    expect(scheduled).toEqual([]);
    expect((await post(mockCredentials.service.header())).status).toBe(503);
    await backend.stop();
  });
});
