import { execFile } from 'node:child_process';
import { appendFile, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Browser, Page } from 'playwright-core';
import {
  parseAnswersYaml,
  renderToMemory,
  TemplateReleases,
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
import {
  ARTIFACTS_DIR,
  ensureAppBuilt,
  expectPaverBranding,
  launchChromium,
} from './browser';
import { api } from '../scaffolder/scaffolderApi';

const run = promisify(execFile);

// A fleet of auth services on three released versions, the newest among them, one edited by its
// team.
const LATEST = '3.0.0';
const FLEET = [
  { name: 'accounts', version: '1.0.0', edit: true },
  { name: 'sessions', version: '1.1.0', edit: false },
  { name: 'identity', version: LATEST, edit: false },
];
const BRANCH = `paver/upgrade-auth-service-${LATEST}`;

/** Pushes each service into the local remote, as the portal would have published it back then. */
async function publishFleet(dataDir: string) {
  const repos = new LocalRepositories(dataDir);
  const releases = new TemplateReleases({ repoDir: REPO_ROOT });
  const fixture = parseAnswersYaml(
    await readFile(
      join(REPO_ROOT, 'templates/auth-service/fixtures/answers.yaml'),
      'utf8',
    ),
  );
  for (const service of FLEET) {
    const dir = await tempDir('paver-browser-fleet-');
    const template = await releases.load('auth-service', service.version);
    await writeTree(
      dir,
      renderToMemory(
        template,
        { ...fixture, name: service.name },
        { platform: TEST_PLATFORM },
      ),
    );
    if (service.edit)
      await appendFile(
        join(dir, 'docs/runbook.md'),
        '\nCall the team lead first.\n',
      );
    await repos.claim(service.name, `task-${service.name}`);
    await repos.push(service.name, dir, `Create ${service.name}`);
    // The read-only checkout the catalog reads the service's catalog-info.yaml from.
    await repos.checkout(service.name);
  }
  return repos;
}

/**
 * Registers each service's catalog-info.yaml, as the portal's create task does, and waits until the
 * catalog serves its Component with the template currency its processor adds.
 */
async function registerFleet(backend: BackendProcess) {
  for (const service of FLEET) {
    await api(backend, '/api/catalog/locations', {
      method: 'POST',
      body: JSON.stringify({
        type: 'url',
        target: `${backend.baseUrl}/api/scaffolder/paver/repos/${service.name}/contents/catalog-info.yaml`,
      }),
    });
  }
  for (const service of FLEET) {
    await waitUntil(
      `component:default/${service.name} with its template currency`,
      async () => {
        const entity = await apiGet<{
          metadata: { annotations?: Record<string, string> };
        }>(
          backend,
          `/api/catalog/entities/by-name/component/default/${service.name}`,
        );
        return (
          'paver.dev/template-behind' in (entity.metadata.annotations ?? {})
        );
      },
    );
  }
}

/** Opens `path` and signs in as guest: embedded defaults offer a single "Enter" button. */
async function signIn(page: Page, backend: BackendProcess, path: string) {
  await page.goto(`${backend.baseUrl}${path}`);
  const enter = page.getByRole('button', { name: /enter/i });
  await enter.waitFor({ timeout: 60_000 });
  await enter.click();
}

/**
 * Issue 13, "What must be shown": the Golden paths page shows a fleet on three versions with
 * drift, a platform engineer opens upgrade pull requests for one template, and the page lists them.
 */
describe('the Golden paths page in a browser', () => {
  let backend: BackendProcess;
  let browser: Browser;
  let repos: LocalRepositories;

  beforeAll(async () => {
    await ensureAppBuilt();
    const dataDir = await tempDir('paver-browser-golden-paths-');
    repos = await publishFleet(dataDir);
    // The guest who signs in is a member of the platform group here, as a platform engineer is.
    const guest = join(dataDir, 'guest.yaml');
    await writeFile(
      guest,
      'apiVersion: backstage.io/v1alpha1\nkind: User\nmetadata:\n  name: guest\nspec:\n  memberOf: [platform]\n',
    );
    const port = await freePort();
    const publishing = localPublishingConfig({ dataDir, ports: [port] }) as {
      catalog: { locations: object[] };
    };
    publishing.catalog.locations.push({
      type: 'file',
      target: guest,
      rules: [{ allow: ['User'] }],
    });
    backend = await spawnBackend({
      port,
      configFiles: ['app-config.yaml'],
      override: [IN_MEMORY_SQLITE, publishing],
    });
    await waitForReady(backend);
    await waitForGuest(backend);
    await registerFleet(backend);
    browser = await launchChromium();
  }, 600_000);

  afterAll(async () => {
    await browser?.close();
    await backend?.stop();
  });

  // Issue 12 (Paver's own mark) and issue 13 (each service's currency on its entity page).
  it("shows the Paver logo and, on a service's entity page, its golden path and how many releases behind it is", async () => {
    const page = await browser.newPage({
      viewport: { width: 1400, height: 1000 },
    });
    try {
      await signIn(page, backend, '/catalog/default/component/accounts');
      const card = goldenPathCard(page);
      await card.waitFor({ timeout: 60_000 });
      await expectPaverBranding(page);
      for (const text of ['auth-service', '1.0.0', LATEST]) {
        await card.getByText(text, { exact: true }).waitFor();
      }
      // 1.1.0, 2.0.0, 2.1.0, 2.2.0, 2.3.0, 2.3.1 and 3.0.0 came after it.
      await card.getByText('7 releases behind').waitFor();
      await page.screenshot({
        path: join(ARTIFACTS_DIR, 'entity-golden-path-behind.png'),
        fullPage: true,
      });

      await page.goto(`${backend.baseUrl}/catalog/default/component/identity`);
      await goldenPathCard(page).getByText('up to date').waitFor({
        timeout: 60_000,
      });
      await page.screenshot({
        path: join(ARTIFACTS_DIR, 'entity-golden-path-current.png'),
        fullPage: true,
      });

      // The card leads to the fleet's page, where the service is upgraded.
      await goldenPathCard(page)
        .getByRole('link', { name: 'View on Golden paths' })
        .click();
      await page
        .getByRole('table', { name: 'auth-service services' })
        .waitFor({ timeout: 60_000 });
      expect(new URL(page.url()).pathname).toBe('/golden-paths');
    } catch (error) {
      await page.screenshot({
        path: join(ARTIFACTS_DIR, 'entity-golden-path-failure.png'),
        fullPage: true,
      });
      throw error;
    } finally {
      await page.close();
    }
  }, 180_000);

  it('shows the fleet on three versions with drift, opens upgrade pull requests for auth-service, and lists them', async () => {
    const page = await browser.newPage({
      viewport: { width: 1400, height: 1400 },
    });
    try {
      await signIn(page, backend, '/golden-paths');

      // Reachable from the sidebar, like every page of the portal.
      await page
        .getByRole('link', { name: 'Golden paths' })
        .first()
        .waitFor({ timeout: 60_000 });
      const services = page.getByRole('table', {
        name: 'auth-service services',
      });
      await services.waitFor({ timeout: 60_000 });
      for (const version of FLEET.map(service => service.version)) {
        await page
          .getByTestId(`version-${version}`)
          .filter({ hasText: `${version} × 1` })
          .waitFor();
      }
      const accounts = services.getByRole('row', { name: /accounts/ });
      await accounts.getByText('docs/runbook.md').waitFor();
      // Releases behind: the seven after 1.0.0, as on its entity page.
      await accounts.getByRole('cell', { name: '7', exact: true }).waitFor();
      await page.screenshot({
        path: join(ARTIFACTS_DIR, 'golden-paths-fleet.png'),
        fullPage: true,
      });

      await page
        .getByRole('button', {
          name: `Open upgrade pull requests to ${LATEST}`,
        })
        .first()
        .click();
      const progress = page.getByRole('list', {
        name: 'auth-service upgrade progress',
      });
      await progress
        .getByText(`accounts: opened ${BRANCH}`, { exact: false })
        .waitFor({ timeout: 120_000 });
      await progress
        .getByText(`sessions: opened ${BRANCH}`)
        .waitFor({ timeout: 120_000 });
      await progress
        .getByText(`identity: up to date (${LATEST})`)
        .waitFor({ timeout: 120_000 });
      // The page reloads the fleet once the run is done: each upgraded service lists its branch.
      await services
        .getByRole('row', { name: /sessions/ })
        .getByText(BRANCH)
        .waitFor({ timeout: 60_000 });
      await page.screenshot({
        path: join(ARTIFACTS_DIR, 'golden-paths-upgrades.png'),
        fullPage: true,
      });
      // Merged from the page, sessions is current; closed, accounts keeps its version.
      const sessions = services.getByRole('row', { name: /sessions/ });
      await sessions.getByRole('button', { name: 'Merge' }).click();
      await sessions
        .getByRole('cell', { name: LATEST, exact: true })
        .waitFor({ timeout: 60_000 });
      await sessions.getByRole('cell', { name: 'none' }).last().waitFor();
      const accountsRow = services.getByRole('row', { name: /accounts/ });
      await accountsRow.getByRole('button', { name: 'Close' }).click();
      await accountsRow
        .getByRole('button', { name: 'Merge' })
        .waitFor({ state: 'detached', timeout: 60_000 });
      await page.screenshot({
        path: join(ARTIFACTS_DIR, 'golden-paths-settled.png'),
        fullPage: true,
      });
    } finally {
      await page.close();
    }
    const { stdout } = await run('git', [
      '--git-dir',
      repos.barePath('sessions'),
      'log',
      '-1',
      '--format=%s',
      'main',
    ]);
    expect(stdout.trim()).toBe(`Merge ${BRANCH}`);
    const { stdout: branches } = await run('git', [
      '--git-dir',
      repos.barePath('accounts'),
      'branch',
      '--list',
      'paver/*',
    ]);
    expect(branches).toBe('');
  }, 300_000);
});

/** The entity page's Golden path card (a catalog info card: an article with its title). */
function goldenPathCard(page: Page) {
  return page.getByRole('article').filter({
    has: page.getByRole('heading', { name: 'Golden path', exact: true }),
  });
}

/** Polls `check` four times a second, for up to a minute, until it holds (a throw is a no). */
async function waitUntil(what: string, check: () => Promise<boolean>) {
  let last: unknown;
  for (let attempt = 0; attempt < 240; attempt++) {
    try {
      if (await check()) return;
    } catch (error) {
      last = error;
    }
    await new Promise(r => setTimeout(r, 250));
  }
  throw new Error(`the catalog never served ${what}${last ? `: ${last}` : ''}`);
}

function waitForGuest(backend: BackendProcess) {
  return waitUntil('user:default/guest', () =>
    apiGet(backend, '/api/catalog/entities/by-name/user/default/guest').then(
      () => true,
    ),
  );
}
