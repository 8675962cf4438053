import type { Entity } from '@backstage/catalog-model';
import { component, group, system, user } from '../__testUtils__/tempCatalog';
import { linkUrlViolations } from './urls';
import {
  onCallViolations,
  ownerCheck,
  ownerViolations,
  rotationViolations,
  runbookViolations,
} from './oncall';

const payments = group('payments') as Entity;
const paymentsWithRotation = group(
  'payments',
  {},
  { annotations: { 'paver.dev/oncall': 'payments-primary' } },
) as Entity;

/** A production Component with a runbook annotation and its own rotation, overridable. */
function service(
  metadata: Partial<Entity['metadata']> = {},
  spec: Record<string, unknown> = {},
): Entity {
  const base = component('invoices', 'payments', spec) as Entity;
  return {
    ...base,
    metadata: {
      ...base.metadata,
      annotations: {
        'paver.dev/runbook': 'docs/runbook.md',
        'paver.dev/oncall': 'invoices-primary',
      },
      ...metadata,
    },
  };
}

describe('owner rule', () => {
  it.each([
    ['payments', 'group:default/payments'],
    ['group:payments', 'group:default/payments'],
    ['Group:Default/Payments', 'group:default/payments'],
  ])('asks the catalog for %s as %s', (owner, ref) => {
    expect(ownerCheck(service({}, { owner }))).toEqual({
      kind: 'lookup',
      ref,
    });
  });

  it('completes a short owner in the entity’s own namespace', () => {
    const entity = service({ namespace: 'finance' });
    expect(ownerCheck(entity)).toEqual({
      kind: 'lookup',
      ref: 'group:finance/payments',
    });
  });

  it('accepts a Group owner that exists', () => {
    expect(ownerViolations(service(), payments)).toEqual([]);
  });

  it('rejects a Group owner the catalog does not hold', () => {
    expect(ownerViolations(service(), undefined)).toEqual([
      {
        field: 'spec.owner',
        message: 'group:default/payments does not exist in the catalog',
      },
    ]);
  });

  it('rejects an owner entity that is not the one asked for', () => {
    const other = group('identity') as Entity;
    expect(ownerViolations(service(), other)).toEqual([
      expect.objectContaining({ field: 'spec.owner' }),
    ]);
  });

  it.each(['user:ada', 'system:billing'])(
    'rejects the owner %s, which is not a Group, without a lookup',
    owner => {
      const entity = service({}, { owner });
      expect(ownerCheck(entity).kind).toBe('violation');
      expect(ownerViolations(entity, user('ada') as Entity)).toEqual([
        {
          field: 'spec.owner',
          message: expect.stringMatching(
            new RegExp(`^must refer to a Group, not a \\w+ \\("${owner}"\\)`),
          ),
        },
      ]);
    },
  );

  it.each(['API', 'System', 'Resource'])('applies to a %s as well', kind => {
    const entity = { ...service({}, { owner: 'user:ada' }), kind };
    expect(ownerViolations(entity, undefined)).toHaveLength(1);
  });

  it('leaves Groups, Users and Templates alone, and malformed refs to the reference rule', () => {
    expect(ownerCheck(group('payments') as Entity)).toEqual({ kind: 'none' });
    const template = {
      ...service({}, { owner: 'user:ada' }),
      kind: 'Template',
    };
    expect(ownerViolations(template, undefined)).toEqual([]);
    expect(ownerCheck(service({}, { owner: 'group:' }))).toEqual({
      kind: 'none',
    });
  });
});

describe('runbook rule', () => {
  it('accepts the paver.dev/runbook annotation', () => {
    expect(runbookViolations(service())).toEqual([]);
  });

  it.each([
    [{ url: 'https://wiki.example.com/x', title: 'On-call Runbook' }],
    [{ url: 'https://wiki.example.com/x', type: 'runbook' }],
  ])('accepts a link marked as a runbook: %j', link => {
    const entity = service({ annotations: {}, links: [link] });
    expect(runbookViolations(entity)).toEqual([]);
  });

  it('rejects a production Component with neither, naming the annotation', () => {
    const entity = service({
      annotations: { 'paver.dev/runbook': '  ' },
      links: [{ url: 'https://grafana.example.com', title: 'Dashboard' }],
    });
    expect(runbookViolations(entity)).toEqual([
      {
        field: 'metadata.annotations["paver.dev/runbook"]',
        message: expect.stringMatching(
          /^a production Component needs a runbook: /,
        ),
      },
    ]);
  });

  it('asks nothing of a Component that is not in production, or of a System', () => {
    const bare = { annotations: {} };
    expect(
      runbookViolations(service(bare, { lifecycle: 'experimental' })),
    ).toEqual([]);
    expect(runbookViolations(system('billing', 'payments') as Entity)).toEqual(
      [],
    );
  });
});

describe('on-call rotation rule', () => {
  it('accepts the Component’s own paver.dev/oncall', () => {
    expect(rotationViolations(service(), undefined)).toEqual([]);
  });

  it('accepts the owner Group’s rotation as the fallback', () => {
    const entity = service({ annotations: { 'paver.dev/runbook': 'x.md' } });
    expect(rotationViolations(entity, paymentsWithRotation)).toEqual([]);
  });

  it('rejects a production Component when neither it nor its owner has one', () => {
    const entity = service({ annotations: { 'paver.dev/runbook': 'x.md' } });
    expect(rotationViolations(entity, payments)).toEqual([
      {
        field: 'metadata.annotations["paver.dev/oncall"]',
        message:
          'a production Component needs an on-call rotation: set this annotation here or on its owner group:default/payments',
      },
    ]);
    expect(rotationViolations(entity, undefined)).toEqual([
      expect.objectContaining({
        message: expect.stringMatching(/on its owner Group$/),
      }),
    ]);
  });

  it('asks nothing of a Component that is not in production', () => {
    const entity = service({ annotations: {} }, { lifecycle: 'deprecated' });
    expect(rotationViolations(entity, payments)).toEqual([]);
  });
});

describe('onCallViolations', () => {
  it('reports every rule a production Component breaks, in order', () => {
    const entity = service({ annotations: {} }, { owner: 'user:ada' });
    expect(onCallViolations(entity, undefined).map(v => v.field)).toEqual([
      'spec.owner',
      'metadata.annotations["paver.dev/runbook"]',
      'metadata.annotations["paver.dev/oncall"]',
    ]);
  });

  it('reports nothing for a well-formed production Component', () => {
    expect(onCallViolations(service(), payments)).toEqual([]);
  });
});

describe('linkUrlViolations', () => {
  it('names each link that is not http(s) by index', () => {
    const entity = service({
      links: [
        { url: 'https://ok.example.com' },
        // eslint-disable-next-line no-script-url -- the value under test
        { url: 'javascript:alert(1)' },
        { url: 'ftp://files.example.com' },
      ],
    });
    expect(linkUrlViolations(entity)).toEqual([
      {
        field: 'metadata.links[1].url',
        message: 'must be an http(s) URL, not javascript:',
      },
      {
        field: 'metadata.links[2].url',
        message: 'must be an http(s) URL, not ftp:',
      },
    ]);
  });

  it('leaves a missing links list alone', () => {
    expect(linkUrlViolations(service())).toEqual([]);
  });
});
