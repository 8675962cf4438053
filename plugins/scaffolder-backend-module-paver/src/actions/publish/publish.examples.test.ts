import fs from 'node:fs/promises';
import path from 'node:path';
import { LocalRepositories } from '../../local/localRepositories';
import { exampleInputs } from '../../__testUtils__/examples';
import {
  mockContext,
  outputsOf,
  tempDir,
} from '../../__testUtils__/mockContext';
import { createPublishAction } from './publish';
import { examples } from './publish.examples';

describe('paver:repo:publish examples', () => {
  it('runs every documented example through the handler', async () => {
    const parameters = {
      name: 'billing-api',
      owner: 'group:default/payments',
      description: 'Bills customers',
    };
    const inputs = exampleInputs(examples, 'paver:repo:publish', {
      parameters,
    });
    expect(inputs).toHaveLength(examples.length);
    for (const { description, input } of inputs) {
      const repos = new LocalRepositories(await tempDir('paver-data-'));
      const action = createPublishAction({
        defaultProvider: 'local',
        local: {
          repos,
          scaffolderBaseUrl: async () => 'http://localhost:7007/api/scaffolder',
        },
      });
      const workspacePath = await tempDir('paver-workspace-');
      await fs.writeFile(
        path.join(workspacePath, 'catalog-info.yaml'),
        'kind: Component\n',
      );
      const ctx = await mockContext(input, { workspacePath });
      await action.handler(ctx);
      expect(outputsOf(ctx).remoteUrl, description).toBe(
        `file://${repos.barePath('billing-api')}`,
      );
    }
  });
});
