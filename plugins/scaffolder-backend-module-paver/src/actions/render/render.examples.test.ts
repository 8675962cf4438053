import fs from 'node:fs/promises';
import path from 'node:path';
import { mockCredentials } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { parseAnswersYaml } from '@paver/golden-path';
import { TEST_PLATFORM } from '@paver/test-utils';
import { AnswerChecks } from '../../catalog/answerChecks';
import { organisation } from '../../__testUtils__/catalogEntities';
import { exampleInputs } from '../../__testUtils__/examples';
import { mockContext, outputsOf } from '../../__testUtils__/mockContext';
import { createRenderAction } from './render';
import { examples } from './render.examples';

const TEMPLATES = path.resolve(__dirname, '../../../../../templates');

describe('paver:render examples', () => {
  it('documents at least one example', () => {
    expect(examples.length).toBeGreaterThan(0);
  });

  it('runs every documented example through the handler', async () => {
    const parameters = parseAnswersYaml(
      await fs.readFile(
        path.join(TEMPLATES, 'billing-service/fixtures/answers.yaml'),
        'utf8',
      ),
    );
    const inputs = exampleInputs(examples, 'paver:render', { parameters });
    expect(inputs).toHaveLength(examples.length);
    for (const { description, input } of inputs) {
      const action = createRenderAction({
        templatesDir: TEMPLATES,
        checks: new AnswerChecks(
          catalogServiceMock({ entities: organisation }),
          async () => mockCredentials.service(),
        ),
        platform: async () => TEST_PLATFORM,
      });
      const ctx = await mockContext(input);
      await action.handler(ctx);
      const target = path.join(
        ctx.workspacePath,
        String(input.targetPath ?? ''),
      );
      expect(await fs.readdir(target), description).toContain(
        'catalog-info.yaml',
      );
      expect(outputsOf(ctx).files, description).toBeGreaterThan(0);
    }
  });
});
