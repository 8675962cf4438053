import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { parse } from 'yaml';
import {
  apiGet,
  IN_MEMORY_SQLITE,
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
        `${backend.baseUrl}/catalog?filters%5Bkind%5D=system&filters%5Buser%5D=all`,
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

  it('lands on search and who is on call now for every team (the guest is in none), and searches from there', async () => {
    const teams = teamsWithRotation();
    const page = await browser.newPage({
      viewport: { width: 1400, height: 1000 },
    });
    try {
      await page.goto(`${backend.baseUrl}/`);
      await page.getByRole('button', { name: /enter/i }).click({
        timeout: 60_000,
      });
      // Signing in stays on `/`: the home page, search box first.
      const search = page.getByRole('textbox', { name: 'Search the portal' });
      await search.waitFor({ timeout: 60_000 });
      const onCall = page.getByRole('region', { name: 'On call now' }).first();
      await onCall
        .getByText(
          'You are in no team, so here is every team with an on-call rotation.',
        )
        .waitFor({ timeout: 60_000 });
      for (const team of teams) {
        const report = await apiGet<OnCallAnswer>(
          backend,
          `/api/catalog/paver/oncall?entity=group:default/${team}`,
        );
        const card = page.locator('article').filter({
          has: page.locator(`a[href$="/catalog/default/group/${team}"]`),
        });
        await card
          .getByRole('region', { name: 'On call now' })
          .getByText(report.now?.person.name ?? 'Nobody is on call right now')
          .first()
          .waitFor({ timeout: 60_000 });
      }
      // One card per team with a rotation, none for the rest (the engineering parent group).
      expect(await onCall.locator('article').count()).toBe(teams.length);
      await page.screenshot({
        path: join(ARTIFACTS_DIR, 'portal-home.png'),
        fullPage: true,
      });

      // The search box hands the term to the search page, which asks the index for it (what the
      // index holds is the create test's business: this backend has not collated everything yet).
      const queried = page.waitForResponse(
        r =>
          new URL(r.url()).pathname.endsWith('/api/search/query') &&
          new URL(r.url()).searchParams.get('term') === 'billing',
        { timeout: 60_000 },
      );
      await search.fill('billing');
      await search.press('Enter');
      await page.waitForURL(/\/search\?query=billing$/);
      expect((await queried).status()).toBe(200);
      expect(
        await page
          .getByRole('textbox', { name: /search/i })
          .first()
          .inputValue(),
      ).toBe('billing');
    } catch (error) {
      await page.screenshot({
        path: join(ARTIFACTS_DIR, 'portal-home-failure.png'),
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

/** The organisation's Groups that name an on-call rotation (`paver.dev/oncall`), by name. */
function teamsWithRotation(): string[] {
  const dir = join(REPO_ROOT, 'catalog/groups');
  return readdirSync(dir)
    .map(file => parse(readFileSync(join(dir, file), 'utf8')))
    .filter(group => group.metadata.annotations?.['paver.dev/oncall'])
    .map(group => group.metadata.name as string)
    .sort();
}

/** What the test reads of the on-call route's answer (OnCallReport in @paver/plugin-paver-common). */
interface OnCallAnswer {
  now: { person: { name: string } } | null;
}
