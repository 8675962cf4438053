import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import {
  IN_MEMORY_SQLITE,
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
import { organisationRefs } from './organisation';

describe('the portal in a browser', () => {
  let backend: BackendProcess;
  let browser: Browser;

  beforeAll(async () => {
    await ensureAppBuilt();
    backend = await spawnBackend({
      configFiles: ['app-config.yaml'],
      override: IN_MEMORY_SQLITE,
    });
    await waitForReady(backend);
    browser = await launchChromium();
  }, 600_000);

  afterAll(async () => {
    await browser?.close();
    await backend?.stop();
  });

  it('signs in as guest and lists the organisation systems in the catalog', async () => {
    const systems = organisationRefs()
      .filter(ref => ref.startsWith('system:'))
      .map(ref => ref.split('/')[1]);
    const page = await browser.newPage({
      viewport: { width: 1400, height: 1000 },
    });
    try {
      await page.goto(`${backend.baseUrl}/`);
      // Embedded defaults sign in as guest: the sign-in page offers a single "Enter" button.
      const enter = page.getByRole('button', { name: /enter/i });
      await enter.waitFor({ timeout: 60_000 });
      // The sign-in page is Paver's too: its header and the tab carry app.title.
      await page.getByRole('heading', { name: 'Paver', exact: true }).waitFor();
      expect(await page.title()).toMatch(/^Paver\b/);
      expect(await page.title()).not.toMatch(/backstage/i);
      await page.screenshot({
        path: join(ARTIFACTS_DIR, 'portal-sign-in.png'),
        fullPage: true,
      });
      await enter.click();
      await page
        .getByRole('link', { name: 'Create' })
        .first()
        .waitFor({ timeout: 60_000 });
      await expectPaverBranding(page);

      await page.goto(
        `${backend.baseUrl}/?filters%5Bkind%5D=system&filters%5Buser%5D=all`,
      );
      for (const name of systems) {
        // Rows show the System's title; its link ends with the entity name.
        await page
          .locator(`a[href$="/system/${name}"]`)
          .first()
          .waitFor({ timeout: 60_000 });
      }
      await page.getByText(`All Systems (${systems.length})`).waitFor();
      const shown = await page
        .locator('a[href*="/system/"]')
        .evaluateAll(links =>
          links.map(a => a.getAttribute('href')!.split('/').pop()),
        );
      expect(new Set(shown)).toEqual(new Set(systems));
      await page.screenshot({
        path: join(ARTIFACTS_DIR, 'catalog-systems.png'),
        fullPage: true,
      });
    } catch (error) {
      await page.screenshot({
        path: join(ARTIFACTS_DIR, 'catalog-systems-failure.png'),
        fullPage: true,
      });
      throw error;
    } finally {
      await page.close();
    }
  }, 180_000);

  it("serves Paver's favicon, not Backstage's", async () => {
    const response = await fetch(`${backend.baseUrl}/favicon.svg`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^image\/svg\+xml/);
    expect(await response.text()).toContain('<title>Paver</title>');
    // The page the browser loads first (its markup names Backstage's app mode and config, fine).
    const html = await (await fetch(`${backend.baseUrl}/`)).text();
    expect(html).toContain('<title>Paver</title>');
    expect(html).toContain('href="/favicon.svg"');
    expect(html).toMatch(/name="description"\s+content="Paver: /);
  });
});
