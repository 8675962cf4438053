import path from 'node:path';
import {
  component,
  group,
  onCallSchedule,
  user,
  writeTempCatalog,
  type FixtureFiles,
} from './__testUtils__/tempCatalog';
import { CatalogFileError } from './errors';
import { loadCatalog, loadCatalogFile } from './load';
import { onCallProblems } from './onCall';
import { formatProblem } from './problems';
import { validateCatalog } from './validate';

const ROTATION = { 'paver.dev/oncall': 'payments-primary' };
const RUNBOOK = { 'paver.dev/runbook': 'docs/runbook.md' };
// The schedule ROTATION names, rotating ada.
const PAYMENTS_SCHEDULE = {
  'schedules/payments-primary.yaml': onCallSchedule(
    'payments-primary',
    'group:default/payments',
    ['user:default/ada'],
  ),
  'users/ada.yaml': user('ada', ['group:default/payments']),
};

function service(
  name: string,
  owner: string,
  annotations: Record<string, string>,
) {
  const entity = component(name, owner);
  return { ...entity, metadata: { ...entity.metadata, annotations } };
}

async function onCallLines(files: FixtureFiles) {
  const catalog = await writeTempCatalog(files);
  try {
    return onCallProblems(await loadCatalog(catalog.dir)).map(formatProblem);
  } finally {
    await catalog.remove();
  }
}

describe('onCallProblems over a catalog folder', () => {
  it('accepts a production Component owned by a Group with a rotation, with a runbook', async () => {
    const files = {
      ...PAYMENTS_SCHEDULE,
      'groups/payments.yaml': group('payments', {}, { annotations: ROTATION }),
      'components/invoices.yaml': service('invoices', 'payments', RUNBOOK),
    };
    expect(await onCallLines(files)).toEqual([]);
  });

  it('names file, entity and field of each violation', async () => {
    const files = {
      ...PAYMENTS_SCHEDULE,
      'groups/payments.yaml': group('payments'),
      'components/a.yaml': service('a', 'user:ada', RUNBOOK),
      'components/b.yaml': service('b', 'ghosts', ROTATION),
      'components/c.yaml': service('c', 'payments', RUNBOOK),
    };
    expect(await onCallLines(files)).toEqual([
      'catalog/components/a.yaml: component:default/a: spec.owner: must refer to a Group, not a user ("user:ada"): the on-call pages the owning team',
      'catalog/components/a.yaml: component:default/a: metadata.annotations["paver.dev/oncall"]: a production Component needs an on-call rotation: set this annotation here or on its owner Group',
      'catalog/components/b.yaml: component:default/b: spec.owner: group:default/ghosts does not exist in the catalog',
      'catalog/components/b.yaml: component:default/b: metadata.annotations["paver.dev/runbook"]: a production Component needs a runbook: set this annotation (a path in the repository or an http(s) URL) or add a metadata.links entry titled Runbook',
      'catalog/components/c.yaml: component:default/c: metadata.annotations["paver.dev/oncall"]: a production Component needs an on-call rotation: set this annotation here or on its owner group:default/payments',
    ]);
  });
});

describe('onCallProblems over schedules', () => {
  it('names file, entity and field of each schedule violation', async () => {
    const orders = {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Resource',
      metadata: { name: 'orders-db' },
      spec: { type: 'database', owner: 'group:default/payments' },
    };
    const files = {
      'users/ada.yaml': user('ada', ['group:default/payments']),
      'groups/payments.yaml': group('payments', {}, { annotations: ROTATION }),
      'groups/identity.yaml': group(
        'identity',
        {},
        { annotations: { 'paver.dev/oncall': 'identity-primary' } },
      ),
      'resources/orders-db.yaml': orders,
      'schedules/payments-primary.yaml': onCallSchedule(
        'payments-primary',
        'group:default/payments',
        ['user:default/ada', 'user:default/ghost'],
        {
          overrides: [
            {
              user: 'user:default/nobody',
              start: '2026-01-13T12:00:00+01:00',
              end: '2026-01-13T18:00:00+01:00',
            },
          ],
          escalation: [
            { afterMinutes: 0, targets: [{ type: 'on-call' }] },
            {
              afterMinutes: 15,
              targets: [
                { type: 'schedule', ref: 'resource:default/identity-primary' },
              ],
            },
          ],
        },
      ),
      'schedules/broken.yaml': onCallSchedule(
        'broken',
        'group:default/payments',
        ['user:default/ada'],
        { timeZone: 'Mars/Olympus' },
      ),
      // Names a schedule that exists: its block's problems are the schedule's, not the service's.
      'components/invoices.yaml': service('invoices', 'payments', {
        ...RUNBOOK,
        'paver.dev/oncall': 'broken',
      }),
      'components/ledger.yaml': service('ledger', 'payments', {
        ...RUNBOOK,
        'paver.dev/oncall': 'orders-db',
      }),
    };
    expect(await onCallLines(files)).toEqual([
      'catalog/components/ledger.yaml: component:default/ledger: metadata.annotations["paver.dev/oncall"]: resource:default/orders-db is not an on-call schedule: its spec.type is "database", not on-call-schedule',
      'catalog/groups/identity.yaml: group:default/identity: metadata.annotations["paver.dev/oncall"]: resource:default/identity-primary does not exist in the catalog: declare it as a Resource of spec.type on-call-schedule',
      'catalog/schedules/broken.yaml: resource:default/broken: spec.schedule.timeZone: "Mars/Olympus" is not an IANA time zone; use a name such as Europe/Berlin',
      'catalog/schedules/payments-primary.yaml: resource:default/payments-primary: spec.schedule.members[1]: user:default/ghost does not exist in the catalog',
      'catalog/schedules/payments-primary.yaml: resource:default/payments-primary: spec.schedule.overrides[0].user: user:default/nobody does not exist in the catalog',
      'catalog/schedules/payments-primary.yaml: resource:default/payments-primary: spec.schedule.escalation[1].targets[0].ref: resource:default/identity-primary does not exist in the catalog: declare it as a Resource of spec.type on-call-schedule',
    ]);
  });

  it('finds the schedule a catalog-info.yaml names among the known entities', async () => {
    const org = await writeTempCatalog({
      ...PAYMENTS_SCHEDULE,
      'groups/payments.yaml': group('payments'),
    });
    const repo = await writeTempCatalog({
      'catalog-info.yaml': service('invoices', 'payments', {
        ...RUNBOOK,
        ...ROTATION,
      }),
    });
    try {
      const loaded = await loadCatalogFile(
        path.join(repo.dir, 'catalog-info.yaml'),
      );
      const knownEntities = (await loadCatalog(org.dir)).entities;
      expect(onCallProblems(loaded, { knownEntities })).toEqual([]);
      expect(onCallProblems(loaded).map(p => p.message)).toContain(
        'resource:default/payments-primary does not exist in the catalog: declare it as a Resource of spec.type on-call-schedule',
      );
    } finally {
      await Promise.all([org.remove(), repo.remove()]);
    }
  });
});

describe('one catalog-info.yaml against the organisation (knownEntities)', () => {
  it('resolves owner and system in the known entities, and their rotation', async () => {
    const org = await writeTempCatalog({
      'groups/payments.yaml': group('payments', {}, { annotations: ROTATION }),
    });
    const repo = await writeTempCatalog({
      'catalog-info.yaml': service('invoices', 'payments', RUNBOOK),
    });
    try {
      const loaded = await loadCatalogFile(
        path.join(repo.dir, 'catalog-info.yaml'),
      );
      expect(loaded.files).toEqual(['catalog/catalog-info.yaml']);
      const knownEntities = (await loadCatalog(org.dir)).entities;
      expect(await validateCatalog(loaded, { knownEntities })).toEqual([]);
      expect(onCallProblems(loaded, { knownEntities })).toEqual([]);
      // Without the organisation, the owner is missing for both rule sets.
      expect(
        (await validateCatalog(loaded)).map(p => [p.field, p.message]),
      ).toEqual([
        ['spec.owner', 'group:default/payments does not exist in the catalog'],
      ]);
      expect(onCallProblems(loaded).map(p => p.field)).toEqual([
        'spec.owner',
        'metadata.annotations["paver.dev/oncall"]',
      ]);
    } finally {
      await Promise.all([org.remove(), repo.remove()]);
    }
  });

  it('refuses a path that is not a file', async () => {
    const repo = await writeTempCatalog({});
    try {
      await expect(loadCatalogFile(repo.dir)).rejects.toThrow(CatalogFileError);
      await expect(
        loadCatalogFile(path.join(repo.dir, 'missing.yaml')),
      ).rejects.toThrow(/cannot be read/);
    } finally {
      await repo.remove();
    }
  });
});
