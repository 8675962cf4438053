// The real bin, spawned as an on-call engineer runs it.
import path from 'node:path';
import {
  ORGANISATION,
  runPaverAsync,
  startFakeCatalogApi,
  writeCatalog,
} from '../__testUtils__/catalogFixture';
import { runPaver } from '../__testUtils__/fixture';
import { suggestions } from './whoOwns';

const REPO_ROOT = path.resolve(__dirname, '../../../..');

describe('paver who-owns, from a catalog folder', () => {
  it('shows owner, members, the owner group’s on-call rotation, runbook, SLO, system, domain and dependencies', () => {
    const { base } = writeCatalog();
    const result = runPaver(
      ['who-owns', 'invoices', '--catalog', 'catalog'],
      base,
    );
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(
      [
        'Component invoices (component:default/invoices)',
        '  Issues invoices. [service, production]',
        '',
        '  owner           Payments Team <payments@example.com> (group:default/payments)',
        '  members         Ada Lovelace <ada@example.com> (user:default/ada)',
        '                  Bo Chen <bo@example.com> (user:default/bo)',
        "  on-call         payments-primary (the owner's rotation, from group:default/payments)",
        '  runbook         https://github.com/acme/invoices/blob/main/docs/runbook.md',
        '  slo             slo/invoices-availability.yaml',
        '  system          system:default/billing',
        '  domain          domain:default/payments',
        '  depends on      component:default/ledger',
        '  depended on by  component:default/checkout',
        '',
        'from catalog/',
        '',
      ].join('\n'),
    );
  });

  it("prefers the Component's own rotation and takes the runbook from its annotation", () => {
    const { base } = writeCatalog();
    const result = runPaver(
      ['who-owns', 'ledger', '--catalog', 'catalog'],
      base,
    );
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      /\n {2}owner +Identity <identity@example\.com> \(group:default\/identity\)\n/,
    );
    expect(result.stdout).toMatch(
      /\n {2}members +Cy Young <cy@example\.com> \(user:default\/cy\)\n {2}on-call/,
    );
    expect(result.stdout).toMatch(/\n {2}on-call +ledger-primary\n/);
    expect(result.stdout).toMatch(
      /\n {2}runbook +https:\/\/github\.com\/acme\/ledger\/blob\/main\/docs\/runbook\.md\n/,
    );
    expect(result.stdout).toMatch(
      /\n {2}depended on by +component:default\/invoices\n/,
    );
  });

  it('prints the report as JSON with --json', () => {
    const { base } = writeCatalog();
    const result = runPaver(
      ['who-owns', 'invoices-api', '--catalog', 'catalog', '--json'],
      base,
    );
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({
      source: 'catalog/',
      entity: {
        ref: 'api:default/invoices-api',
        kind: 'API',
        name: 'invoices-api',
        type: 'openapi',
        lifecycle: 'production',
      },
      owner: {
        ref: 'group:default/payments',
        found: true,
        displayName: 'Payments Team',
        email: 'payments@example.com',
      },
      members: [
        {
          ref: 'user:default/ada',
          found: true,
          displayName: 'Ada Lovelace',
          email: 'ada@example.com',
        },
        {
          ref: 'user:default/bo',
          found: true,
          displayName: 'Bo Chen',
          email: 'bo@example.com',
        },
      ],
      oncall: { rotation: 'payments-primary', from: 'group:default/payments' },
      runbook: null,
      slo: null,
      system: 'system:default/billing',
      domain: 'domain:default/payments',
      dependsOn: [],
      dependedOnBy: [
        { ref: 'component:default/checkout', via: 'consumesApis' },
      ],
    });
  });

  it('fails on an unknown name, suggesting up to three close names', () => {
    const { base } = writeCatalog();
    const result = runPaver(
      ['who-owns', 'invoice', '--catalog', 'catalog'],
      base,
    );
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(
      'paver: no Component, API or System named "invoice" in catalog/; did you mean invoices (component), invoices-api (api)?\n',
    );
  });

  it('names a missing catalog folder in one line', () => {
    const { base } = writeCatalog();
    const result = runPaver(
      ['who-owns', 'invoices', '--catalog', 'nowhere'],
      base,
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /^paver: catalog folder .*nowhere cannot be read\n$/,
    );
  });

  it("resolves a Group-owned System in the repository's own catalog/ by default", () => {
    const result = runPaver(['who-owns', 'billing'], REPO_ROOT);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      /^System Billing \(system:default\/billing\)\n/,
    );
    expect(result.stdout).toMatch(
      /\n {2}owner +Payments <payments-team@example\.com> \(group:default\/payments\)\n/,
    );
    expect(result.stdout).toMatch(
      /\n {2}on-call +payments-primary \(the owner's rotation/,
    );
    expect(result.stdout).toMatch(/\n {2}domain +domain:default\/payments\n/);
    expect(result.stdout).toMatch(/\nfrom catalog\/\n$/);
  });
});

describe('paver who-owns, from a Backstage catalog API', () => {
  it('gives the same report as the folder, sending the token from PAVER_CATALOG_TOKEN', async () => {
    const api = await startFakeCatalogApi(ORGANISATION, {
      token: 's3cret',
      pageSize: 1,
    });
    try {
      const { base } = writeCatalog();
      const fromFolder = JSON.parse(
        runPaver(
          ['who-owns', 'invoices', '--catalog', 'catalog', '--json'],
          base,
        ).stdout,
      );
      const result = await runPaverAsync(
        ['who-owns', 'invoices', '--catalog-url', api.url, '--json'],
        base,
        {
          PAVER_CATALOG_TOKEN: 's3cret',
        },
      );
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(JSON.parse(result.stdout)).toEqual({
        ...fromFolder,
        source: api.url,
      });
      expect(api.requests.every(r => r.authorization === 'Bearer s3cret')).toBe(
        true,
      );
      expect(api.requests.map(r => r.path)).toContain(
        '/api/catalog/entities/by-name/component/default/invoices',
      );
      // Two members on pages of one: the report holds both only if the cursor was followed.
      expect(api.requests.some(r => r.query.has('cursor'))).toBe(true);
    } finally {
      await api.close();
    }
  });

  it('suggests close names from the API and says when the token is missing', async () => {
    const api = await startFakeCatalogApi(ORGANISATION, { token: 's3cret' });
    try {
      const { base } = writeCatalog();
      const unknown = await runPaverAsync(
        ['who-owns', 'biling', '--catalog-url', api.url, '--token', 's3cret'],
        base,
      );
      expect(unknown.code).toBe(1);
      expect(unknown.stderr).toBe(
        `paver: no Component, API or System named "biling" in ${api.url}; did you mean billing (system)?\n`,
      );
      const denied = await runPaverAsync(
        ['who-owns', 'invoices', '--catalog-url', api.url],
        base,
        { PAVER_CATALOG_TOKEN: '' },
      );
      expect(denied.code).toBe(1);
      expect(denied.stderr).toContain(
        'answered 401: pass a token with --token or PAVER_CATALOG_TOKEN',
      );
      expect(denied.stderr).not.toContain('s3cret');
    } finally {
      await api.close();
    }
  });
});

describe('suggestions', () => {
  const refs = [
    'component:default/invoices',
    'api:default/invoices-api',
    'system:default/billing',
    'component:ops/billing-worker',
    'component:default/ledger',
    'component:default/notifier',
  ];

  it('offers at most three, closest first, with the kind or full ref', () => {
    expect(suggestions('billin', refs)).toEqual([
      'billing (system)',
      'component:ops/billing-worker',
    ]);
    expect(suggestions('invocies', refs)).toEqual(['invoices (component)']);
  });

  it('offers nothing for a name unlike any other', () => {
    expect(suggestions('zzz', refs)).toEqual([]);
  });
});
