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

const schedule = (name: string, block: string) =>
  `apiVersion: backstage.io/v1alpha1
kind: Resource
metadata:
  name: ${name}
spec:
  type: on-call-schedule
  owner: group:default/payments
  schedule:
${block}`;

/**
 * The schedules ORGANISATION's annotations name. payments-primary: weekly in Berlin from Monday
 * 5 January 2026 09:00, ada then bo, with ada covering Tuesday 10 March 18:00 to Wednesday 09:00
 * CET; escalating to ada, then to ledger-primary. ledger-primary: cy every day in New York.
 */
const SCHEDULES: Record<string, string> = {
  'schedules/payments-primary.yaml': schedule(
    'payments-primary',
    `    timeZone: Europe/Berlin
    rotation: P1W
    handoff: '2026-01-05T09:00'
    members: [user:default/ada, user:default/bo]
    overrides:
      - { user: user:default/ada, start: '2026-03-10T18:00:00+01:00', end: '2026-03-11T09:00:00+01:00' }
    escalation:
      - { afterMinutes: 0, targets: [{ type: on-call }] }
      - { afterMinutes: 15, targets: [{ type: user, ref: user:default/ada }] }
      - { afterMinutes: 30, targets: [{ type: schedule, ref: ledger-primary }] }
`,
  ),
  'schedules/ledger-primary.yaml': schedule(
    'ledger-primary',
    `    timeZone: America/New_York
    rotation: P1D
    handoff: '2026-01-05T09:00'
    members: [user:default/cy]
    escalation:
      - { afterMinutes: 0, targets: [{ type: on-call }] }
`,
  ),
};
/** The SLO entity the catalog writes from invoices' slo.yaml (catalog module, SloEntityProcessor). */
const INVOICES_SLO = {
  'slos/invoices-availability.yaml': `apiVersion: paver.dev/v1alpha1
kind: SLO
metadata:
  name: invoices-availability
  title: invoices availability
spec:
  service: component:default/invoices
  owner: group:default/payments
  objectives: [{ target: 0.999 }]
  window: { duration: 28d, rolling: true }
  budgetingMethod: Occurrences
  indicator: ratioMetric
  source: https://github.com/acme/invoices/blob/main/slo.yaml
  rules: https://github.com/acme/invoices/blob/main/slo-rules.yaml
`,
};
const WITH_SCHEDULES = { ...ORGANISATION, ...SCHEDULES, ...INVOICES_SLO };

// Monday 9 March 2026, 09:30 in Berlin: 63 days = 9 weeks after the first hand-off, shift 9,
// 9 mod 2 = bo, from 09:00 CET (08:00Z) until ada's override at Tuesday 18:00 CET (17:00Z).
const MONDAY = '2026-03-09T08:30:00Z';

const ADA = {
  ref: 'user:default/ada',
  found: true,
  displayName: 'Ada Lovelace',
  email: 'ada@example.com',
};
const BO = {
  ref: 'user:default/bo',
  found: true,
  displayName: 'Bo Chen',
  email: 'bo@example.com',
};
const CY = {
  ref: 'user:default/cy',
  found: true,
  displayName: 'Cy Young',
  email: 'cy@example.com',
};

/** `paver who-owns <args> --catalog catalog` over a temp catalog holding `files`. */
function whoOwnsIn(files: Record<string, string>, ...args: string[]) {
  const { base } = writeCatalog(files);
  return runPaver(['who-owns', ...args, '--catalog', 'catalog'], base);
}

/** The lines of the report from `on-call` up to `runbook`. */
function onCallLines(stdout: string): string[] {
  const lines = stdout.split('\n');
  const start = lines.findIndex(line => line.startsWith('  on-call '));
  const end = lines.findIndex(line => line.startsWith('  runbook '));
  return lines.slice(start, end);
}

describe('paver who-owns, from a catalog folder', () => {
  it('shows owner, members, who the owner group’s schedule has on call now and next, the escalation, runbook, SLO, system, domain and dependencies', () => {
    const result = whoOwnsIn(WITH_SCHEDULES, 'invoices', '--at', MONDAY);
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
        '  on call now     Bo Chen <bo@example.com> (user:default/bo)',
        '                  until Tue 2026-03-10 18:00 Europe/Berlin (Tue 2026-03-10 17:00 UTC)',
        '  next            Ada Lovelace <ada@example.com> (user:default/ada), an override',
        '                  from Tue 2026-03-10 18:00 Europe/Berlin (Tue 2026-03-10 17:00 UTC)',
        '                  until Wed 2026-03-11 09:00 Europe/Berlin (Wed 2026-03-11 08:00 UTC)',
        '  escalation      after 0 min: Bo Chen <bo@example.com> (user:default/bo), on call',
        '                  after 15 min: Ada Lovelace <ada@example.com> (user:default/ada)',
        // 08:30Z is 04:30 in New York, after cy's first hand-off (5 January 09:00 EST).
        '                  after 30 min: Cy Young <cy@example.com> (user:default/cy), on call for resource:default/ledger-primary',
        '  runbook         https://github.com/acme/invoices/blob/main/docs/runbook.md',
        '  slo             invoices availability: 99.9 % over a rolling 28d (alerts: https://github.com/acme/invoices/blob/main/slo-rules.yaml)',
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
    const result = whoOwnsIn(WITH_SCHEDULES, 'ledger', '--at', MONDAY);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      /\n {2}owner +Identity <identity@example\.com> \(group:default\/identity\)\n/,
    );
    expect(result.stdout).toMatch(
      /\n {2}members +Cy Young <cy@example\.com> \(user:default\/cy\)\n {2}on-call/,
    );
    expect(result.stdout).toMatch(/\n {2}on-call +ledger-primary\n/);
    // Daily at 09:00 New York time: Monday 9 March, after the clocks went forward on Sunday 8
    // March (EDT, UTC-4), 04:30 local is in Sunday's shift, which ends Monday 09:00 EDT = 13:00Z.
    expect(onCallLines(result.stdout).slice(1, 3)).toEqual([
      '  on call now     Cy Young <cy@example.com> (user:default/cy)',
      '                  until Mon 2026-03-09 09:00 America/New_York (Mon 2026-03-09 13:00 UTC)',
    ]);
    expect(result.stdout).toMatch(
      /\n {2}runbook +https:\/\/github\.com\/acme\/ledger\/blob\/main\/docs\/runbook\.md\n/,
    );
    expect(result.stdout).toMatch(
      /\n {2}depended on by +component:default\/invoices\n/,
    );
  });

  it('prints the report as JSON with --json, the on-call answer in oncall', () => {
    const result = whoOwnsIn(
      WITH_SCHEDULES,
      'invoices-api',
      '--json',
      '--at',
      MONDAY,
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
      members: [ADA, BO],
      oncall: {
        rotation: 'payments-primary',
        from: 'group:default/payments',
        at: '2026-03-09T08:30:00.000Z',
        schedule: 'resource:default/payments-primary',
        timeZone: 'Europe/Berlin',
        now: {
          user: BO,
          from: '2026-03-09T08:00:00.000Z',
          until: '2026-03-10T17:00:00.000Z',
          fromLocal: '2026-03-09T09:00:00.000+01:00',
          untilLocal: '2026-03-10T18:00:00.000+01:00',
          override: false,
        },
        next: {
          user: ADA,
          from: '2026-03-10T17:00:00.000Z',
          until: '2026-03-11T08:00:00.000Z',
          fromLocal: '2026-03-10T18:00:00.000+01:00',
          untilLocal: '2026-03-11T09:00:00.000+01:00',
          override: true,
        },
        escalation: [
          {
            level: 1,
            afterMinutes: 0,
            targets: [{ type: 'on-call', user: BO }],
          },
          {
            level: 2,
            afterMinutes: 15,
            targets: [{ type: 'user', user: ADA }],
          },
          {
            level: 3,
            afterMinutes: 30,
            targets: [
              {
                type: 'schedule',
                schedule: 'resource:default/ledger-primary',
                user: CY,
              },
            ],
          },
        ],
        problem: null,
      },
      runbook: null,
      slo: null,
      slos: [],
      system: 'system:default/billing',
      domain: 'domain:default/payments',
      dependsOn: [],
      dependedOnBy: [
        { ref: 'component:default/checkout', via: 'consumesApis' },
      ],
    });
  });

  it('shows the person covering an override as on call now, and the rotation resuming next', () => {
    // Tuesday 21:00 CET: ada's override (17:00Z to 08:00Z), then bo's shift until Monday 16 March.
    const result = whoOwnsIn(
      WITH_SCHEDULES,
      'invoices',
      '--at',
      '2026-03-10T21:00:00+01:00',
    );
    expect(onCallLines(result.stdout).slice(1, 6)).toEqual([
      '  on call now     Ada Lovelace <ada@example.com> (user:default/ada), an override',
      '                  until Wed 2026-03-11 09:00 Europe/Berlin (Wed 2026-03-11 08:00 UTC)',
      '  next            Bo Chen <bo@example.com> (user:default/bo)',
      '                  from Wed 2026-03-11 09:00 Europe/Berlin (Wed 2026-03-11 08:00 UTC)',
      '                  until Mon 2026-03-16 09:00 Europe/Berlin (Mon 2026-03-16 08:00 UTC)',
    ]);
  });

  it('says nobody is on call before the first hand-off, and names the first shift', () => {
    const result = whoOwnsIn(
      WITH_SCHEDULES,
      'invoices',
      '--at',
      '2026-01-01T00:00:00Z',
    );
    expect(onCallLines(result.stdout).slice(1)).toEqual([
      '  on call now     nobody: the rotation has not started',
      '  next            Ada Lovelace <ada@example.com> (user:default/ada)',
      '                  from Mon 2026-01-05 09:00 Europe/Berlin (Mon 2026-01-05 08:00 UTC)',
      '                  until Mon 2026-01-12 09:00 Europe/Berlin (Mon 2026-01-12 08:00 UTC)',
      '  escalation      after 0 min: nobody, on call',
      '                  after 15 min: Ada Lovelace <ada@example.com> (user:default/ada)',
      '                  after 30 min: nobody, on call for resource:default/ledger-primary',
    ]);
  });

  it('asks about now without --at', () => {
    const before = Date.now();
    const result = whoOwnsIn(WITH_SCHEDULES, 'invoices', '--json');
    const at = Date.parse(JSON.parse(result.stdout).oncall.at);
    expect(at).toBeGreaterThanOrEqual(before - 1000);
    expect(at).toBeLessThanOrEqual(Date.now());
  });

  it('shows the rotation and why it has no answer when its schedule is missing', () => {
    const result = whoOwnsIn(
      ORGANISATION,
      'invoices',
      '--json',
      '--at',
      MONDAY,
    );
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).oncall).toEqual({
      rotation: 'payments-primary',
      from: 'group:default/payments',
      at: '2026-03-09T08:30:00.000Z',
      schedule: 'resource:default/payments-primary',
      timeZone: null,
      now: null,
      next: null,
      escalation: [],
      problem: 'no schedule resource:default/payments-primary in catalog/',
    });
    const text = whoOwnsIn(ORGANISATION, 'invoices', '--at', MONDAY).stdout;
    expect(onCallLines(text).slice(1)).toEqual([
      '  on call now     unknown: no schedule resource:default/payments-primary in catalog/',
    ]);
  });

  it('names a schedule that does not validate, and a schedule target that cannot be read', () => {
    const broken = {
      ...WITH_SCHEDULES,
      'schedules/ledger-primary.yaml': schedule(
        'ledger-primary',
        '    timeZone: Mars/Olympus\n',
      ),
    };
    const ledger = whoOwnsIn(broken, 'ledger', '--at', MONDAY).stdout;
    expect(onCallLines(ledger).slice(1)).toEqual([
      '  on call now     unknown: resource:default/ledger-primary does not validate: spec.schedule.timeZone: "Mars/Olympus" is not an IANA time zone; use a name such as Europe/Berlin (and 4 more)',
    ]);
    const invoices = whoOwnsIn(broken, 'invoices', '--at', MONDAY).stdout;
    expect(onCallLines(invoices).at(-1)).toMatch(
      /^ +after 30 min: whoever is on call for resource:default\/ledger-primary \(unknown: resource:default\/ledger-primary does not validate: /,
    );
  });

  it.each(['tomorrow', '2026-03-09T08:30', '2026-03-09'])(
    'refuses --at %s, which is not an instant with an offset',
    at => {
      const result = whoOwnsIn(WITH_SCHEDULES, 'invoices', '--at', at);
      expect(result.code).toBe(1);
      expect(result.stdout).toBe('');
      expect(result.stderr).toBe(
        `paver: --at "${at}" is not an ISO-8601 instant with an offset, such as 2026-03-09T02:00:00Z\n`,
      );
    },
  );

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
    const result = runPaver(['who-owns', 'billing', '--at', MONDAY], REPO_ROOT);
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
    // catalog/schedules/payments-primary.yaml: weekly from 5 January, shift 9 mod 3 = li.wei.
    expect(result.stdout).toMatch(
      /\n {2}on call now +Li Wei <li\.wei@example\.com> \(user:default\/li\.wei\)\n {18}until Mon 2026-03-16 09:00 Europe\/Berlin \(Mon 2026-03-16 08:00 UTC\)\n/,
    );
    expect(result.stdout).toMatch(/\n {2}domain +domain:default\/payments\n/);
    expect(result.stdout).toMatch(/\nfrom catalog\/\n$/);
  });
});

describe('paver who-owns, from a Backstage catalog API', () => {
  it('gives the same report as the folder, sending the token from PAVER_CATALOG_TOKEN', async () => {
    const api = await startFakeCatalogApi(WITH_SCHEDULES, {
      token: 's3cret',
      pageSize: 1,
    });
    try {
      const { base } = writeCatalog(WITH_SCHEDULES);
      const args = ['who-owns', 'invoices', '--json', '--at', MONDAY];
      const fromFolder = JSON.parse(
        runPaver([...args, '--catalog', 'catalog'], base).stdout,
      );
      expect(fromFolder.oncall.now.user.ref).toBe('user:default/bo');
      const result = await runPaverAsync(
        [...args, '--catalog-url', api.url],
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
      expect(api.requests.map(r => r.path)).toEqual(
        expect.arrayContaining([
          '/api/catalog/entities/by-name/component/default/invoices',
          '/api/catalog/entities/by-name/resource/default/payments-primary',
          '/api/catalog/entities/by-name/resource/default/ledger-primary',
        ]),
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
