import fs from 'node:fs';
import path from 'node:path';
import {
  loadTemplate,
  parseAnswersYaml,
  renderToMemory,
} from '@paver/golden-path';
import { TEST_PLATFORM, tempDirSync } from '@paver/test-utils';
import { main } from '../program';
import { captureIo } from '../__testUtils__/io';

const REPO_ROOT = path.resolve(__dirname, '../../../..');

const entity = (kind: string, name: string, body: string) =>
  `apiVersion: backstage.io/v1alpha1\nkind: ${kind}\nmetadata:\n  name: ${name}\n${body}`;

const PAYMENTS = entity(
  'Group',
  'payments',
  `  annotations:
    paver.dev/oncall: payments-primary
spec:
  type: team
  children: []
`,
);
const ADA = entity('User', 'ada', 'spec:\n  memberOf: [payments]\n');

/** An on-call schedule Resource owned by payments; `block` is its spec.schedule, indented. */
const schedule = (name: string, block: string) =>
  entity(
    'Resource',
    name,
    `spec:
  type: on-call-schedule
  owner: group:default/payments
  schedule:
${block}`,
  );
const WEEKLY = `    timeZone: Europe/Berlin
    rotation: P1W
    handoff: '2026-01-05T09:00'
`;
const PAYMENTS_SCHEDULE = schedule(
  'payments-primary',
  `${WEEKLY}    members: [user:default/ada]
    escalation:
      - { afterMinutes: 0, targets: [{ type: on-call }] }
`,
);

/** A production Component; `annotations` and `owner` as given. */
const service = (name: string, owner: string, annotations: string) =>
  entity(
    'Component',
    name,
    `${annotations}spec:
  type: service
  lifecycle: production
  owner: ${owner}
`,
  );

/** The catalog-info.yaml a golden path renders from its fixture answers. */
function renderedCatalogInfo(name: string): string {
  const templateDir = path.join(REPO_ROOT, 'templates', name);
  const answers = parseAnswersYaml(
    fs.readFileSync(path.join(templateDir, 'fixtures/answers.yaml'), 'utf8'),
  );
  const files = renderToMemory(loadTemplate(templateDir), answers, {
    platform: TEST_PLATFORM,
  });
  return String(files.get('catalog-info.yaml'));
}

/** Writes `files` under a fresh temp folder and runs `paver catalog validate` there. */
function workspace(files: Record<string, string>) {
  const dir = tempDirSync('paver-catalog-validate-');
  for (const [relative, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, relative)), { recursive: true });
    fs.writeFileSync(path.join(dir, relative), text);
  }
  const capture = captureIo();
  capture.io.cwd = dir;
  const run = (...args: string[]) =>
    main(['node', 'paver', 'catalog', 'validate', ...args], capture.io);
  return { dir, run, output: capture.output };
}

describe('paver catalog validate', () => {
  it('prints one line per problem, file: entity: field: message, and exits 1', async () => {
    const { run, output } = workspace({
      'org/groups/payments.yaml': PAYMENTS,
      'org/users/ada.yaml': ADA,
      'org/schedules/payments-primary.yaml': PAYMENTS_SCHEDULE,
      'org/components/a.yaml': service(
        'a',
        'user:ada',
        '  annotations:\n    paver.dev/runbook: docs/runbook.md\n',
      ),
      'org/components/b.yaml': service(
        'b',
        'ghosts',
        '  links:\n    - url: ftp://files.example.com/b\n      title: Runbook\n',
      ),
      'org/components/c.yaml': service(
        'c',
        'payments',
        '  annotations:\n    paver.dev/oncall: payments-primary\n',
      ),
      'empty/.keep': '',
    });
    expect(await run('org', '--catalog', 'empty')).toBe(1);
    expect(output()).toBe(
      [
        'org/components/a.yaml: component:default/a: spec.owner: must refer to a Group, not a user ("user:ada"): the on-call pages the owning team',
        'org/components/a.yaml: component:default/a: metadata.annotations["paver.dev/oncall"]: a production Component needs an on-call rotation: set this annotation here or on its owner Group',
        'org/components/b.yaml: component:default/b: metadata.links[0].url: must be an http(s) URL, not ftp:',
        'org/components/b.yaml: component:default/b: spec.owner: group:default/ghosts does not exist in the catalog',
        'org/components/b.yaml: component:default/b: metadata.annotations["paver.dev/oncall"]: a production Component needs an on-call rotation: set this annotation here or on its owner Group',
        'org/components/c.yaml: component:default/c: metadata.annotations["paver.dev/runbook"]: a production Component needs a runbook: set this annotation (a path in the repository or an http(s) URL) or add a metadata.links entry titled Runbook',
        'paver: 6 problems in 6 files',
        '',
      ].join('\n'),
    );
  });

  it('passes the repository catalog/, its default outside a service', async () => {
    const capture = captureIo();
    capture.io.cwd = REPO_ROOT;
    expect(
      await main(['node', 'paver', 'catalog', 'validate'], capture.io),
    ).toBe(0);
    const files = fs.readdirSync(path.join(REPO_ROOT, 'catalog'), {
      recursive: true,
    });
    const yamlFiles = files.filter(f => String(f).endsWith('.yaml')).length;
    expect(capture.output()).toMatch(
      new RegExp(`^✔ \\d+ entities in ${yamlFiles} files: no problems\\n$`),
    );
  });

  it('checks ./catalog-info.yaml by default, owners resolved in --catalog', async () => {
    const { run, output } = workspace({
      'catalog-info.yaml': service(
        'invoices',
        'payments',
        '  annotations:\n    paver.dev/runbook: docs/runbook.md\n',
      ),
      'org/payments.yaml': PAYMENTS,
    });
    expect(await run('--catalog', 'org')).toBe(0);
    expect(output()).toBe('✔ 1 entity in 1 file: no problems\n');
  });

  it('reports an owner and a schedule that are in neither the paths nor --catalog', async () => {
    const { run, output } = workspace({
      'catalog-info.yaml': service(
        'invoices',
        'group:default/nobody',
        '  annotations:\n    paver.dev/runbook: docs/runbook.md\n    paver.dev/oncall: x\n',
      ),
    });
    expect(await run('catalog-info.yaml')).toBe(1);
    expect(output()).toBe(
      [
        'catalog-info.yaml: component:default/invoices: spec.owner: group:default/nobody does not exist in the catalog',
        'catalog-info.yaml: component:default/invoices: metadata.annotations["paver.dev/oncall"]: resource:default/x does not exist in the catalog: declare it as a Resource of spec.type on-call-schedule',
        'paver: 2 problems in 1 file',
        '',
      ].join('\n'),
    );
  });

  it('reports schedules: a block that does not validate, refs that do not exist, a rotation naming no schedule', async () => {
    const { run, output } = workspace({
      'org/groups/payments.yaml': PAYMENTS,
      'org/users/ada.yaml': ADA,
      'org/schedules/payments-primary.yaml': schedule(
        'payments-primary',
        `${WEEKLY}    members: [user:default/ada, user:default/ghost]
    escalation:
      - { afterMinutes: 0, targets: [{ type: on-call }] }
      - { afterMinutes: 30, targets: [{ type: schedule, ref: identity-primary }] }
`,
      ),
      'org/schedules/broken.yaml': schedule(
        'broken',
        `    timeZone: Europe/Berlin
    rotation: P1M
    handoff: '2026-03-29T02:30'
    members: [user:default/ada]
    escalation:
      - { afterMinutes: 0, targets: [{ type: on-call }] }
`,
      ),
      'org/components/d.yaml': service(
        'd',
        'payments',
        '  annotations:\n    paver.dev/runbook: docs/runbook.md\n    paver.dev/oncall: d-primary\n',
      ),
      'empty/.keep': '',
    });
    expect(await run('org', '--catalog', 'empty')).toBe(1);
    expect(output()).toBe(
      [
        'org/components/d.yaml: component:default/d: metadata.annotations["paver.dev/oncall"]: resource:default/d-primary does not exist in the catalog: declare it as a Resource of spec.type on-call-schedule',
        'org/schedules/broken.yaml: resource:default/broken: spec.schedule.rotation: "P1M" counts months or years, which have no fixed length; use weeks, days or hours (P4W, not P1M)',
        'org/schedules/broken.yaml: resource:default/broken: spec.schedule.handoff: "2026-03-29T02:30" does not exist in Europe/Berlin: the clocks skip it when daylight saving time starts',
        'org/schedules/payments-primary.yaml: resource:default/payments-primary: spec.schedule.members[1]: user:default/ghost does not exist in the catalog',
        'org/schedules/payments-primary.yaml: resource:default/payments-primary: spec.schedule.escalation[1].targets[0].ref: resource:default/identity-primary does not exist in the catalog: declare it as a Resource of spec.type on-call-schedule',
        'paver: 5 problems in 5 files',
        '',
      ].join('\n'),
    );
  });

  it('resolves the schedule a catalog-info.yaml names in --catalog', async () => {
    const { run, output } = workspace({
      'catalog-info.yaml': service(
        'invoices',
        'payments',
        '  annotations:\n    paver.dev/runbook: docs/runbook.md\n    paver.dev/oncall: payments-primary\n',
      ),
      'org/payments.yaml': PAYMENTS,
      'org/ada.yaml': ADA,
      'org/payments-primary.yaml': PAYMENTS_SCHEDULE,
    });
    expect(await run('--catalog', 'org')).toBe(0);
    expect(output()).toBe('✔ 1 entity in 1 file: no problems\n');
  });

  it('names a path that cannot be read', async () => {
    const { run, output } = workspace({});
    expect(await run('nope.yaml')).toBe(1);
    expect(output()).toMatch(
      /^paver: catalog file \S+nope\.yaml cannot be read\n$/,
    );
  });

  it.each(['auth-service', 'billing-service', 'notification-service'])(
    'passes the catalog-info.yaml %s renders from its production fixture',
    async name => {
      const catalogInfo = renderedCatalogInfo(name);
      expect(catalogInfo).toMatch(/\n {2}lifecycle: "production"\n/);
      // The organisation's catalog, with the auth service billing and notification depend on
      // and the services whose events notification receives.
      const { dir, run, output } = workspace({
        'catalog-info.yaml': catalogInfo,
        'known/auth-api.yaml': renderedCatalogInfo('auth-service'),
        'known/billing-api.yaml': renderedCatalogInfo('billing-service'),
      });
      fs.cpSync(path.join(REPO_ROOT, 'catalog'), path.join(dir, 'known'), {
        recursive: true,
      });
      expect(await run('--catalog', 'known'), output()).toBe(0);
      // The Component, its HTTP API and its events API.
      expect(output()).toBe('✔ 3 entities in 1 file: no problems\n');
    },
  );
});
