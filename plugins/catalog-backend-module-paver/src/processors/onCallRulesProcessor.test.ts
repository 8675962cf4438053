import type { UrlReaderService } from '@backstage/backend-plugin-api';
import { mockCredentials } from '@backstage/backend-test-utils';
import { stringifyEntityRef, type Entity } from '@backstage/catalog-model';
import { ConfigReader } from '@backstage/config';
import { NotFoundError, NotModifiedError } from '@backstage/errors';
import { ScmIntegrations } from '@backstage/integration';
import type {
  CatalogProcessorCache,
  CatalogProcessorResult,
  LocationSpec,
} from '@backstage/plugin-catalog-node';
import { OnCallRulesProcessor } from './onCallRulesProcessor';
import { RunbookDocuments } from './runbookDocument';

const GITHUB_LOCATION: LocationSpec = {
  type: 'url',
  target: 'https://github.com/acme/billing-api/blob/main/catalog-info.yaml',
};
const RUNBOOK_URL =
  'https://github.com/acme/billing-api/blob/main/docs/runbook.md';

const GITHUB = ScmIntegrations.fromConfig(
  new ConfigReader({ integrations: { github: [{ host: 'github.com' }] } }),
);

const payments: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: {
    name: 'payments',
    namespace: 'default',
    annotations: { 'paver.dev/oncall': 'payments-primary' },
  },
  spec: { type: 'team', children: [] },
};

const user = (name: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'User',
  metadata: { name, namespace: 'default' },
  spec: { memberOf: ['group:default/payments'] },
});

/** The schedule payments' annotation names, rotating li.wei and mateo.garcia; block fields overridable. */
function paymentsSchedule(schedule: Record<string, unknown> = {}): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: { name: 'payments-primary', namespace: 'default' },
    spec: {
      type: 'on-call-schedule',
      owner: 'group:default/payments',
      schedule: {
        timeZone: 'Europe/Berlin',
        rotation: 'P1W',
        handoff: '2026-01-05T09:00',
        members: ['user:default/li.wei', 'user:default/mateo.garcia'],
        escalation: [{ afterMinutes: 0, targets: [{ type: 'on-call' }] }],
        ...schedule,
      },
    },
  };
}

/** The organisation the processor's catalog holds unless a test says otherwise. */
const ORGANISATION = [
  payments,
  paymentsSchedule(),
  user('li.wei'),
  user('mateo.garcia'),
];

function service(
  metadata: Partial<Entity['metadata']> = {},
  spec: Record<string, unknown> = {},
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: 'billing-api',
      annotations: { 'paver.dev/runbook': 'docs/runbook.md' },
      ...metadata,
    },
    spec: {
      type: 'service',
      lifecycle: 'production',
      owner: 'group:default/payments',
      ...spec,
    },
  };
}

/** A processor over a catalog holding `entities` and a reader that serves `documents`. */
function setup(
  entities: Entity[] = ORGANISATION,
  documents: Record<string, string> = { [RUNBOOK_URL]: '# Runbook' },
) {
  const lookups: Array<{ ref: string; principal: unknown }> = [];
  const reads: Array<{ url: string; etag?: string }> = [];
  const warnings: string[] = [];
  const readUrl: UrlReaderService['readUrl'] = async (url, options) => {
    reads.push({ url, etag: options?.etag });
    if (!(url in documents)) throw new NotFoundError(`${url} not found`);
    if (options?.etag === 'v1') throw new NotModifiedError();
    return { buffer: async () => Buffer.from(documents[url]), etag: 'v1' };
  };
  const clock = { now: 0 };
  const processor = new OnCallRulesProcessor({
    now: () => clock.now,
    catalog: {
      getEntitiesByRefs: async ({ entityRefs }, { credentials }) => {
        for (const ref of entityRefs)
          lookups.push({ ref, principal: credentials.principal });
        return {
          items: entityRefs.map(ref =>
            entities.find(e => stringifyEntityRef(e) === ref),
          ),
        };
      },
    },
    auth: { getOwnServiceCredentials: async () => mockCredentials.service() },
    runbooks: new RunbookDocuments({ readUrl }, GITHUB, {
      warn: message => warnings.push(message),
    }),
  });
  const store = new Map<string, unknown>();
  const cache = {
    get: async (key: string) => store.get(key),
    set: async (key: string, value: unknown) => void store.set(key, value),
  } as CatalogProcessorCache;

  /** Runs postProcessEntity as the catalog does; returns the entity and the error messages. */
  async function run(entity: Entity, location = GITHUB_LOCATION) {
    const emitted: CatalogProcessorResult[] = [];
    const result = await processor.postProcessEntity(
      entity,
      location,
      r => emitted.push(r),
      cache,
    );
    const errors = emitted.map(r => {
      if (r.type !== 'error') throw new Error(`emitted a ${r.type}`);
      expect(r.location).toEqual(location);
      expect(r.error.name).toBe('InputError');
      return r.error.message;
    });
    return { result, errors };
  }
  return { run, lookups, reads, warnings, clock };
}

describe('OnCallRulesProcessor', () => {
  it('passes a production Component with a Group owner, a readable runbook and a rotation', async () => {
    const { run, lookups, reads } = setup();
    const entity = service();
    const { result, errors } = await run(entity);
    expect(errors).toEqual([]);
    expect(result).toBe(entity);
    expect(lookups).toEqual([
      {
        ref: 'group:default/payments',
        principal: mockCredentials.service().principal,
      },
    ]);
    expect(reads).toEqual([{ url: RUNBOOK_URL, etag: undefined }]);
  });

  it('rejects an owner that is a User, without asking the catalog', async () => {
    const { run, lookups } = setup();
    const { errors } = await run(service({}, { owner: 'user:default/ada' }));
    expect(errors).toEqual([
      'component:default/billing-api: spec.owner: must refer to a Group, not a user ("user:default/ada"): the on-call pages the owning team',
      'component:default/billing-api: metadata.annotations["paver.dev/oncall"]: a production Component needs an on-call rotation: set this annotation here or on its owner Group',
    ]);
    expect(lookups).toEqual([]);
  });

  it('rejects an owner Group the catalog still does not hold after the grace window', async () => {
    const { run, clock } = setup([]);
    const api = { ...service(), kind: 'API' };
    // Processed before its Group, as often happens at start: not an error yet.
    expect((await run(api)).errors).toEqual([]);
    clock.now = 9 * 60_000;
    expect((await run(api)).errors).toEqual([]);
    clock.now = 10 * 60_000;
    expect((await run(api)).errors).toEqual([
      'api:default/billing-api: spec.owner: group:default/payments does not exist in the catalog',
    ]);
  });

  it('does not hold back a production Component whose owner Group is not processed yet, but still checks its runbook', async () => {
    const { run } = setup([]);
    expect((await run(service())).errors).toEqual([]);
    const { errors } = await run(service({ annotations: {} }));
    expect(errors).toEqual([
      expect.stringMatching(
        /^component:default\/billing-api: metadata\.annotations\["paver\.dev\/runbook"\]: /,
      ),
    ]);
  });

  it('rejects a production Component without a runbook', async () => {
    const { run, reads } = setup();
    const { errors } = await run(service({ annotations: {} }));
    expect(errors).toEqual([
      'component:default/billing-api: metadata.annotations["paver.dev/runbook"]: a production Component needs a runbook: set this annotation (a path in the repository or an http(s) URL) or add a metadata.links entry titled Runbook',
    ]);
    expect(reads).toEqual([]);
  });

  it('rejects a production Component when neither it nor its owner has a rotation', async () => {
    const quiet = { ...payments, metadata: { ...payments.metadata } };
    delete quiet.metadata.annotations;
    const { run } = setup([quiet, ...ORGANISATION.slice(1)]);
    expect((await run(service())).errors).toEqual([
      'component:default/billing-api: metadata.annotations["paver.dev/oncall"]: a production Component needs an on-call rotation: set this annotation here or on its owner group:default/payments',
    ]);
  });

  it('rejects a link that is not http(s), naming its index', async () => {
    const { run } = setup();
    const links = [
      { url: 'https://grafana.example.com' },
      { url: 'ftp://files.example.com/x' },
    ];
    expect((await run(service({ links }))).errors).toEqual([
      'component:default/billing-api: metadata.links[1].url: must be an http(s) URL, not ftp:',
    ]);
  });

  it('rejects a runbook path that does not exist in the repository', async () => {
    const { run } = setup([payments], {});
    expect((await run(service())).errors).toEqual([
      `component:default/billing-api: metadata.annotations["paver.dev/runbook"]: the runbook ${RUNBOOK_URL} does not exist in the service's repository`,
    ]);
  });

  it('asks again with the last ETag and takes "not modified" as readable', async () => {
    const { run, reads } = setup();
    await run(service());
    expect((await run(service())).errors).toEqual([]);
    expect((await run(service())).errors).toEqual([]);
    expect(reads.map(r => r.etag)).toEqual([undefined, 'v1', 'v1']);
  });

  it('does not fail the entity when the reader itself fails, and warns', async () => {
    const warnings: string[] = [];
    const failing = new RunbookDocuments(
      {
        readUrl: async () => {
          throw new Error('rate limited');
        },
      },
      GITHUB,
      { warn: message => warnings.push(message) },
    );
    const cache = {
      get: async () => undefined,
      set: async () => {},
    } as CatalogProcessorCache;
    expect(await failing.violations(service(), GITHUB_LOCATION, cache)).toEqual(
      [],
    );
    expect(warnings).toEqual([
      `Could not check the runbook ${RUNBOOK_URL}: Error: rate limited`,
    ]);
  });

  it('leaves an http(s) runbook elsewhere, and a file location, at the well-formed check', async () => {
    const { run, reads } = setup();
    const wiki = service({
      annotations: { 'paver.dev/runbook': 'https://wiki.example.com/billing' },
    });
    expect((await run(wiki)).errors).toEqual([]);
    const fromDisk = { type: 'file', target: '/srv/billing/catalog-info.yaml' };
    expect((await run(service(), fromDisk)).errors).toEqual([]);
    expect(reads).toEqual([]);
  });

  it('asks nothing of a Component that is not in production beyond its owner', async () => {
    const { run, reads } = setup();
    const entity = service({ annotations: {} }, { lifecycle: 'experimental' });
    expect((await run(entity)).errors).toEqual([]);
    expect(reads).toEqual([]);
  });

  it('leaves Users, and Groups without a rotation, alone, without a lookup', async () => {
    const { run, lookups } = setup();
    const quiet = { ...payments, metadata: { name: 'payments' } };
    expect((await run(user('li.wei'))).errors).toEqual([]);
    expect((await run(quiet)).errors).toEqual([]);
    expect(lookups).toEqual([]);
  });
});

describe('OnCallRulesProcessor: schedules', () => {
  const ANNOTATION = 'metadata.annotations["paver.dev/oncall"]';

  it('accepts a Group whose paver.dev/oncall names a schedule the catalog holds', async () => {
    const { run, lookups } = setup();
    expect((await run(payments)).errors).toEqual([]);
    expect(lookups.map(l => l.ref)).toEqual([
      'resource:default/payments-primary',
    ]);
  });

  it('accepts a schedule whose members exist, asking for each once', async () => {
    const { run, lookups } = setup();
    const schedule = paymentsSchedule({
      escalation: [
        { afterMinutes: 0, targets: [{ type: 'on-call' }] },
        {
          afterMinutes: 15,
          targets: [{ type: 'user', ref: 'user:default/li.wei' }],
        },
      ],
    });
    expect((await run(schedule)).errors).toEqual([]);
    expect(lookups.map(l => l.ref)).toEqual([
      'group:default/payments',
      'user:default/li.wei',
      'user:default/mateo.garcia',
    ]);
  });

  it('rejects a paver.dev/oncall naming a schedule the catalog still does not hold after the grace window', async () => {
    const { run, clock } = setup([payments]);
    // Processed before its schedule, as often happens at start: not an error yet.
    expect((await run(payments)).errors).toEqual([]);
    clock.now = 10 * 60_000;
    expect((await run(payments)).errors).toEqual([
      `group:default/payments: ${ANNOTATION}: resource:default/payments-primary does not exist in the catalog: declare it as a Resource of spec.type on-call-schedule`,
    ]);
  });

  it('rejects a paver.dev/oncall naming a Resource that is not a schedule, at once', async () => {
    const database: Entity = {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Resource',
      metadata: { name: 'orders-db', namespace: 'default' },
      spec: { type: 'database', owner: 'group:default/payments' },
    };
    const { run } = setup([...ORGANISATION, database]);
    const entity = service({
      annotations: {
        'paver.dev/runbook': 'docs/runbook.md',
        'paver.dev/oncall': 'orders-db',
      },
    });
    expect((await run(entity)).errors).toEqual([
      `component:default/billing-api: ${ANNOTATION}: resource:default/orders-db is not an on-call schedule: its spec.type is "database", not on-call-schedule`,
    ]);
  });

  it('rejects a paver.dev/oncall that is not a schedule ref, without asking the catalog', async () => {
    const { run, lookups } = setup();
    const team = {
      ...payments,
      metadata: {
        ...payments.metadata,
        annotations: { 'paver.dev/oncall': 'user:ada' },
      },
    };
    expect((await run(team)).errors).toEqual([
      `group:default/payments: ${ANNOTATION}: must refer to a Resource, not a user ("user:ada")`,
    ]);
    expect(lookups).toEqual([]);
  });

  it('rejects a schedule whose block does not validate, naming each field, without looking members up', async () => {
    const { run, lookups } = setup();
    const broken = paymentsSchedule({ rotation: 'weekly', members: [] });
    expect((await run(broken)).errors).toEqual([
      'resource:default/payments-primary: spec.schedule.rotation: "weekly" is not an ISO-8601 duration such as P1W (weekly), P1D (daily) or PT12H',
      'resource:default/payments-primary: spec.schedule.members: must list at least one member in rotation order, each a User ref such as user:default/li.wei',
    ]);
    expect(lookups.map(l => l.ref)).toEqual(['group:default/payments']);
  });

  it('rejects a member that is not a User ref at once', async () => {
    const { run } = setup();
    const schedule = paymentsSchedule({ members: ['group:default/payments'] });
    expect((await run(schedule)).errors).toEqual([
      'resource:default/payments-primary: spec.schedule.members[0]: must refer to a User, not a group ("group:default/payments")',
    ]);
  });

  it('rejects members, override users and escalation schedules still missing after the grace window', async () => {
    const { run, clock } = setup();
    const schedule = paymentsSchedule({
      members: ['user:default/li.wei', 'user:default/ghost'],
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
          afterMinutes: 30,
          targets: [
            { type: 'schedule', ref: 'resource:default/platform-primary' },
          ],
        },
      ],
    });
    expect((await run(schedule)).errors).toEqual([]);
    clock.now = 10 * 60_000;
    expect((await run(schedule)).errors).toEqual([
      'resource:default/payments-primary: spec.schedule.members[1]: user:default/ghost does not exist in the catalog',
      'resource:default/payments-primary: spec.schedule.overrides[0].user: user:default/nobody does not exist in the catalog',
      'resource:default/payments-primary: spec.schedule.escalation[1].targets[0].ref: resource:default/platform-primary does not exist in the catalog: declare it as a Resource of spec.type on-call-schedule',
    ]);
  });

  it('counts the grace window for each missing ref from its own first sighting', async () => {
    const { run, clock } = setup();
    const oneGhost = paymentsSchedule({
      members: ['user:default/li.wei', 'user:default/ghost'],
    });
    const twoGhosts = paymentsSchedule({
      members: ['user:default/ghost', 'user:default/casper'],
    });
    expect((await run(oneGhost)).errors).toEqual([]);
    clock.now = 5 * 60_000;
    expect((await run(twoGhosts)).errors).toEqual([]);
    clock.now = 10 * 60_000;
    expect((await run(twoGhosts)).errors).toEqual([
      'resource:default/payments-primary: spec.schedule.members[0]: user:default/ghost does not exist in the catalog',
    ]);
    clock.now = 15 * 60_000;
    expect((await run(twoGhosts)).errors).toHaveLength(2);
  });
});
