import { mockCredentials } from '@backstage/backend-test-utils';
import { entity } from '../../__testUtils__/catalogEntities';
import { exampleInputs } from '../../__testUtils__/examples';
import { FakeCatalog } from '../../__testUtils__/fakeCatalog';
import { mockContext, outputsOf } from '../../__testUtils__/mockContext';
import { createRegisterAction } from './register';
import { examples } from './register.examples';

describe('paver:catalog:register examples', () => {
  it('runs every documented example through the handler', async () => {
    const published =
      'http://localhost:7007/api/scaffolder/paver/repos/billing-api/contents/catalog-info.yaml';
    const inputs = exampleInputs(examples, 'paver:catalog:register', {
      steps: { publish: { output: { catalogInfoUrl: published } } },
    });
    expect(inputs).toHaveLength(examples.length);
    for (const { description, input } of inputs) {
      const url = String(input.catalogInfoUrl);
      const catalog = new FakeCatalog({
        [url]: [entity('Component', 'billing-api')],
      });
      const action = createRegisterAction({
        catalog: catalog as never,
        serviceCredentials: async () => mockCredentials.service(),
        pollIntervalMs: 1,
      });
      const ctx = await mockContext(input);
      await action.handler(ctx);
      expect(outputsOf(ctx).entityRef, description).toBe(
        'component:default/billing-api',
      );
    }
  });
});
