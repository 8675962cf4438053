import { lintFixture, group, system } from '../__testUtils__/tempCatalog';
import { withPlaceholdersResolved } from './placeholders';

const api = (definition: unknown) => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'API',
  metadata: { name: 'invoices' },
  spec: {
    type: 'openapi',
    lifecycle: 'production',
    owner: 'payments',
    system: 'billing',
    definition,
  },
});

const org = {
  'groups/payments.yaml': group('payments'),
  'systems/billing.yaml': system('billing', 'payments'),
};

describe('placeholders, as the catalog resolves them before validating', () => {
  it('accepts an API definition given as $text, as the backend would', async () => {
    const files = {
      ...org,
      'apis/invoices.yaml': api({ $text: './openapi.yaml' }),
    };
    expect(await lintFixture(files)).toEqual([]);
  });

  it('still rejects a definition that is a mapping', async () => {
    const files = { ...org, 'apis/invoices.yaml': api({ openapi: '3.0.0' }) };
    expect(await lintFixture(files)).toEqual([
      expect.objectContaining({ field: 'spec.definition' }),
    ]);
  });

  it('stands a $json or $yaml placeholder in as a mapping, leaving a mapping of two keys alone', () => {
    const entity = api({ $yaml: './x.yaml' });
    const resolved = withPlaceholdersResolved({
      ...entity,
      metadata: { name: 'x', annotations: { $text: 'a', other: 'b' } },
    } as never);
    expect(resolved.spec?.definition).toEqual({});
    expect(resolved.metadata.annotations).toEqual({ $text: 'a', other: 'b' });
  });
});
