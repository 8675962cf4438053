import fs from 'node:fs/promises';
import path from 'node:path';
import { freePort, tempDir } from '@paver/test-utils';
import { parseAnswersYaml } from '@paver/golden-path';
import {
  IN_MEMORY_SQLITE,
  REPO_ROOT,
  localPublishingConfig,
  spawnBackend,
  waitForReady,
  type BackendProcess,
} from '../backend/backendProcess';
import { git } from '@paver/plugin-scaffolder-backend-module-paver/testUtils';
import {
  api,
  guestToken,
  logOf,
  runTask,
  waitForEntity,
} from './scaffolderApi';

/**
 * Creates a service from the portal's API on the real backend (SQLite, local git publishing),
 * the way the Create page does: a task for the billing-service golden path with its fixture
 * answers, followed to completion through the task's event stream.
 */
describe('creating a service on the real backend', () => {
  let backend: BackendProcess;
  let dataDir: string;
  let userToken: string;

  beforeAll(async () => {
    dataDir = await tempDir('paver-e2e-data-');
    const port = await freePort();
    backend = await spawnBackend({
      port,
      configFiles: ['app-config.yaml'],
      override: [
        IN_MEMORY_SQLITE,
        localPublishingConfig({
          dataDir,
          ports: [port],
          extraTemplates: [
            path.join(__dirname, 'stock-template/template.yaml'),
          ],
        }),
      ],
    });
    await waitForReady(backend);
    userToken = await guestToken(backend);
    for (const ref of [
      'template/default/billing-service',
      'template/default/stock-hello',
      'group/default/payments',
      'system/default/billing',
    ]) {
      await waitForEntity(backend, ref);
    }
  }, 240_000);

  afterAll(async () => {
    await backend?.stop();
  });

  it('creates billing-api from the billing-service golden path: repository, catalog entry, owner', async () => {
    const answers = parseAnswersYaml(
      await fs.readFile(
        path.join(REPO_ROOT, 'templates/billing-service/fixtures/answers.yaml'),
        'utf8',
      ),
    );
    const { status, events } = await runTask(
      backend,
      userToken,
      'template:default/billing-service',
      answers,
    );
    expect(status, logOf(events)).toBe('completed');

    // Registered and visible at once: the task waited for it, no processing interval involved.
    const component = await api<{ spec: { owner: string } }>(
      backend,
      '/api/catalog/entities/by-name/component/default/billing-api',
    );
    expect(component.spec.owner).toBe('group:default/payments');
    // The API entity resolves its `$text: ./openapi.yaml` through the url location.
    const apiEntity = await waitForEntity(backend, 'api/default/billing-api');
    expect(String(apiEntity.spec?.definition)).toContain('openapi:');

    const bare = path.join(dataDir, 'git/billing-api.git');
    expect(
      await git(['--git-dir', bare, 'config', '--get', 'paver.taskid']),
    ).not.toBe('');
    const clone = path.join(await tempDir('paver-e2e-clone-'), 'billing-api');
    await git(['clone', '--quiet', bare, clone]);
    await expect(
      fs.access(path.join(clone, 'catalog-info.yaml')),
    ).resolves.toBeUndefined();
    expect(
      await fs.readFile(path.join(clone, '.paver/answers.yaml'), 'utf8'),
    ).toContain('template: billing-service');
  }, 180_000);

  it('still runs a stock Backstage template (fetch:template, catalog:write, debug:log) beside ours', async () => {
    const { status, events } = await runTask(
      backend,
      userToken,
      'template:default/stock-hello',
      { name: 'stock-hello-svc' },
    );
    expect(status, logOf(events)).toBe('completed');
    expect(logOf(events)).toContain('stock template ran for stock-hello-svc');

    const clone = path.join(await tempDir('paver-e2e-clone-'), 'stock');
    await git([
      'clone',
      '--quiet',
      path.join(dataDir, 'git/stock-hello-svc.git'),
      clone,
    ]);
    expect(await fs.readFile(path.join(clone, 'README.md'), 'utf8')).toContain(
      '# stock-hello-svc',
    );
    expect(
      await fs.readFile(path.join(clone, 'catalog-info.yaml'), 'utf8'),
    ).toContain('name: stock-hello-svc');
  }, 180_000);
});
