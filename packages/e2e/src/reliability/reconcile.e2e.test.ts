import fs from 'node:fs/promises';
import path from 'node:path';
import { freePort, tempDir } from '@paver/test-utils';
import {
  IN_MEMORY_SQLITE,
  TEST_TOKEN,
  localPublishingConfig,
  spawnBackend,
  waitForReady,
  type BackendProcess,
} from '../backend/backendProcess';
import { git } from '@paver/plugin-scaffolder-backend-module-paver/testUtils';
import { LocalRepositories } from '@paver/plugin-scaffolder-backend-module-paver/testUtils';
import type { ReconcileReport } from '@paver/plugin-scaffolder-backend-module-paver/testUtils';
import { api, guestToken, waitForEntity } from '../scaffolder/scaffolderApi';
import { components, locationTargets } from './support';

const COMPONENT = (name: string) => `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: ${name}
spec:
  type: service
  lifecycle: experimental
  owner: group:default/payments
  system: billing
`;

/**
 * docs/reliability.md, Faults row 7: "catalog registration fails after publishing → ... a reconciler finds
 * marked repositories with no entity". The real backend on SQLite, with a data folder that already
 * holds what a task whose register step failed leaves behind: a published, marked repository the
 * catalog has never heard of. Beside it, a marked repository with nothing pushed (a task killed
 * after creating it) and someone else's unmarked repository. The reconcile route is called with
 * the tests' service token; the scheduled run is off so the route's report is deterministic.
 */
describe('the reconciler on the real backend', () => {
  const orphan = 'orphan-billing';
  let backend: BackendProcess;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = await tempDir('paver-reconcile-data-');
    const repos = new LocalRepositories(dataDir);
    const workspace = await tempDir('paver-reconcile-ws-');
    await fs.writeFile(
      path.join(workspace, 'catalog-info.yaml'),
      COMPONENT(orphan),
    );
    await repos.claim(orphan, 'task-register-failed');
    await repos.push(
      orphan,
      workspace,
      'Initial commit from billing-service@1.0.0',
    );
    await repos.checkout(orphan);
    await repos.claim('orphan-half', 'task-killed');
    await git([
      'init',
      '--quiet',
      '--bare',
      path.join(repos.gitRoot, 'foreign.git'),
    ]);

    const port = await freePort();
    backend = await spawnBackend({
      port,
      configFiles: ['app-config.yaml'],
      override: [
        IN_MEMORY_SQLITE,
        localPublishingConfig({ dataDir, ports: [port] }),
        { paver: { reconcile: { enabled: false } } },
      ],
    });
    await waitForReady(backend, 240_000);
    await waitForEntity(backend, 'group/default/payments');
  }, 300_000);

  afterAll(async () => {
    await backend?.stop();
  }, 60_000);

  const reconcileAs = (token: string) =>
    fetch(`${backend.baseUrl}/api/scaffolder/paver/reconcile`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
    });

  it('refuses a user outside the platform group', async () => {
    const res = await reconcileAs(await guestToken(backend));
    expect(res.status).toBe(403);
  });

  it('registers the orphaned repository for a service, reports the empty one, and the Component appears once', async () => {
    const res = await reconcileAs(TEST_TOKEN);
    expect(res.status, await res.clone().text()).toBe(200);
    const report = (await res.json()) as ReconcileReport;
    expect(report.checked).toBe(2);
    expect(report.registered).toEqual([
      {
        repo: orphan,
        taskId: 'task-register-failed',
        catalogInfoUrl: `${backend.baseUrl}/api/scaffolder/paver/repos/${orphan}/contents/catalog-info.yaml`,
      },
    ]);
    expect(report.failed).toEqual([
      expect.objectContaining({
        repo: 'orphan-half',
        error: expect.stringMatching(/catalog-info.yaml is absent/),
      }),
    ]);
    expect(backend.output()).toContain(
      `Reconciler registered ${orphan} (task task-register-failed)`,
    );

    const component = (await waitForEntity(
      backend,
      `component/default/${orphan}`,
    )) as { spec?: { owner?: string } };
    expect(component.spec?.owner).toBe('group:default/payments');

    // A second run finds it registered: no second location.
    const again = await api<ReconcileReport>(
      backend,
      '/api/scaffolder/paver/reconcile',
      { method: 'POST' },
    );
    expect(again).toMatchObject({
      checked: 2,
      alreadyRegistered: 1,
      registered: [],
    });
    expect(
      (await locationTargets(backend)).filter(t =>
        t.includes(`/repos/${orphan}/`),
      ),
    ).toHaveLength(1);
    expect(
      (await components(backend)).filter(c => c.metadata.name === orphan),
    ).toHaveLength(1);
  }, 120_000);
});
