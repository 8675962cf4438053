import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import {
  loadTemplate,
  parseAnswersYaml,
  renderToMemory,
  writeTree,
} from '@paver/golden-path';
import { LocalRepositories } from '@paver/plugin-scaffolder-backend-module-paver/testUtils';
import { freePort, tempDir, TEST_PLATFORM } from '@paver/test-utils';
import {
  apiGet,
  IN_MEMORY_SQLITE,
  localPublishingConfig,
  REPO_ROOT,
  spawnBackend,
  waitForReady,
  type BackendProcess,
} from './backendProcess';
import { ARTIFACTS_DIR, ensureAppBuilt, launchChromium } from './browser';
import { api } from '../scaffolder/scaffolderApi';

// The three golden paths as their fixture answers create them (notification-api receives the
// events of auth-api and billing-api), registered as the create task registers a service: who
// listens to whom is a relation in the catalog, drawn by its relations graph.
const GOLDEN_PATHS = [
  'auth-service',
  'billing-service',
  'notification-service',
];

async function publishServices(dataDir: string): Promise<string[]> {
  const repos = new LocalRepositories(dataDir);
  const names: string[] = [];
  for (const templateName of GOLDEN_PATHS) {
    const template = loadTemplate(join(REPO_ROOT, 'templates', templateName));
    const answers = parseAnswersYaml(
      await readFile(join(template.dir, 'fixtures/answers.yaml'), 'utf8'),
    );
    const name = String(answers.name);
    const dir = await tempDir('paver-browser-events-');
    await writeTree(
      dir,
      renderToMemory(template, answers, { platform: TEST_PLATFORM }),
    );
    await repos.claim(name, `task-${name}`);
    await repos.push(name, dir, `Create ${name}`);
    await repos.checkout(name);
    names.push(name);
  }
  return names;
}

async function waitForEntity(backend: BackendProcess, path: string) {
  for (let attempt = 0; attempt < 240; attempt++) {
    const found = await apiGet(
      backend,
      `/api/catalog/entities/by-name/${path}`,
    ).then(
      () => true,
      () => false,
    );
    if (found) return;
    await new Promise(r => setTimeout(r, 250));
  }
  throw new Error(`the catalog never served ${path}`);
}

describe('events in the catalog, in a browser', () => {
  let backend: BackendProcess;
  let browser: Browser;

  beforeAll(async () => {
    await ensureAppBuilt();
    const dataDir = await tempDir('paver-browser-events-data-');
    const names = await publishServices(dataDir);
    const port = await freePort();
    backend = await spawnBackend({
      port,
      configFiles: ['app-config.yaml'],
      override: [
        IN_MEMORY_SQLITE,
        localPublishingConfig({ dataDir, ports: [port] }),
      ],
    });
    await waitForReady(backend);
    for (const name of names) {
      await api(backend, '/api/catalog/locations', {
        method: 'POST',
        body: JSON.stringify({
          type: 'url',
          target: `${backend.baseUrl}/api/scaffolder/paver/repos/${name}/contents/catalog-info.yaml`,
        }),
      });
    }
    for (const name of names)
      await waitForEntity(backend, `api/default/${name}-events`);
    browser = await launchChromium();
  }, 600_000);

  afterAll(async () => {
    await browser?.close();
    await backend?.stop();
  });

  it('records producers under providesApis and consumers under consumesApis', async () => {
    const relations = async (name: string) => {
      const entity = await apiGet<{
        relations: { type: string; targetRef: string }[];
      }>(backend, `/api/catalog/entities/by-name/component/default/${name}`);
      return entity.relations.map(r => `${r.type} ${r.targetRef}`).sort();
    };
    expect(await relations('notification-api')).toEqual(
      expect.arrayContaining([
        'consumesApi api:default/auth-api-events',
        'consumesApi api:default/billing-api-events',
        'providesApi api:default/notification-api-events',
      ]),
    );
    const apiOf = await apiGet<{
      relations: { type: string; targetRef: string }[];
    }>(backend, '/api/catalog/entities/by-name/api/default/billing-api-events');
    expect(apiOf.relations.map(r => `${r.type} ${r.targetRef}`).sort()).toEqual(
      expect.arrayContaining([
        'apiConsumedBy component:default/notification-api',
        'apiProvidedBy component:default/billing-api',
      ]),
    );
  });

  it('draws who listens to whom, and renders the AsyncAPI document', async () => {
    const page = await browser.newPage({
      viewport: { width: 1400, height: 1100 },
    });
    try {
      await page.goto(
        `${backend.baseUrl}/catalog/default/component/notification-api`,
      );
      const enter = page.getByRole('button', { name: /enter/i });
      await enter.waitFor({ timeout: 60_000 });
      await enter.click();
      // The relations graph on the overview: the events APIs it consumes are nodes of it.
      const nodes = ['auth-api-events', 'billing-api-events'];
      for (const node of nodes) {
        await page
          .locator('svg')
          .getByText(node)
          .first()
          .waitFor({ timeout: 60_000 });
      }
      const labels = await page.locator('svg text').allTextContents();
      for (const node of nodes) {
        expect(
          labels.some(label => label.includes(node)),
          labels.join(', '),
        ).toBe(true);
      }
      await page.screenshot({
        path: join(ARTIFACTS_DIR, 'events-relations.png'),
        fullPage: true,
      });

      await page.goto(
        `${backend.baseUrl}/catalog/default/api/billing-api-events/definition`,
      );
      await page
        .getByText('billing-api.invoice.issued.v1')
        .first()
        .waitFor({ timeout: 60_000 });
      await page.screenshot({
        path: join(ARTIFACTS_DIR, 'events-asyncapi.png'),
        fullPage: true,
      });
    } finally {
      await page.close();
    }
  });
});
