import fs from 'node:fs/promises';
import path from 'node:path';
import { ConflictError, InputError } from '@backstage/errors';
import { mockCredentials } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { parseAnswersYaml } from '@paver/golden-path';
import { TEST_PLATFORM } from '@paver/test-utils';
import { parse } from 'yaml';
import { AnswerChecks } from '../../catalog/answerChecks';
import { entity, organisation } from '../../__testUtils__/catalogEntities';
import {
  mockContext,
  outputsOf,
  tempDir,
} from '../../__testUtils__/mockContext';
import { createRenderAction } from './render';

const TEMPLATES = path.resolve(__dirname, '../../../../../templates');

async function fixtureAnswers(): Promise<Record<string, unknown>> {
  return parseAnswersYaml(
    await fs.readFile(
      path.join(TEMPLATES, 'billing-service/fixtures/answers.yaml'),
      'utf8',
    ),
  );
}

function actionWith(entities = organisation) {
  const catalog = catalogServiceMock({ entities });
  const checks = new AnswerChecks(catalog, async () =>
    mockCredentials.service(),
  );
  return createRenderAction({
    templatesDir: TEMPLATES,
    checks,
    platform: async () => TEST_PLATFORM,
  });
}

describe('paver:render', () => {
  let values: Record<string, unknown>;
  beforeAll(async () => {
    values = await fixtureAnswers();
  });

  it('renders the golden path into the workspace with its answers file', async () => {
    const ctx = await mockContext({ template: 'billing-service', values });
    await actionWith().handler(ctx);

    const catalogInfo = await fs.readFile(
      path.join(ctx.workspacePath, 'catalog-info.yaml'),
      'utf8',
    );
    expect(catalogInfo).toContain('name: billing-api');
    const answers = parse(
      await fs.readFile(
        path.join(ctx.workspacePath, '.paver/answers.yaml'),
        'utf8',
      ),
    );
    expect(answers).toMatchObject({
      template: 'billing-service',
      answers: { owner: 'group:default/payments' },
    });
    const { files, templateVersion } = outputsOf(ctx);
    expect(templateVersion).toBe(answers.version);
    expect(files).toBeGreaterThan(10);
  });

  it("renders the organisation's settings: the @paver registry and the dashboard link", async () => {
    const ctx = await mockContext({ template: 'billing-service', values });
    await actionWith().handler(ctx);
    const read = (file: string) =>
      fs.readFile(path.join(ctx.workspacePath, file), 'utf8');
    expect(await read('.npmrc')).toContain(
      `@paver:registry=${TEST_PLATFORM.npmRegistry}\n`,
    );
    expect(await read('catalog-info.yaml')).toContain(
      '- url: http://127.0.0.1:9/dashboards/billing-api\n',
    );
  });

  it('renders into a folder inside the workspace', async () => {
    const ctx = await mockContext({
      template: 'billing-service',
      values,
      targetPath: 'service',
    });
    await actionWith().handler(ctx);
    await expect(
      fs.access(path.join(ctx.workspacePath, 'service/catalog-info.yaml')),
    ).resolves.toBeUndefined();
  });

  it('refuses a target folder that leaves the workspace, before any write', async () => {
    const workspacePath = await tempDir();
    const ctx = await mockContext(
      { template: 'billing-service', values, targetPath: '../escape' },
      { workspacePath },
    );
    await expect(actionWith().handler(ctx)).rejects.toThrow(/^targetPath: /);
    expect(await fs.readdir(path.dirname(workspacePath))).not.toContain(
      'escape',
    );
  });

  it('rejects bad answers with an InputError naming the field', async () => {
    const ctx = await mockContext({
      template: 'billing-service',
      values: { ...values, name: 'Admin Service' },
    });
    const error = await actionWith()
      .handler(ctx)
      .catch(e => e);
    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toMatch(/values\.name: must match/);
  });

  it('rejects a reserved service name', async () => {
    const ctx = await mockContext({
      template: 'billing-service',
      values: { ...values, name: 'admin' },
    });
    await expect(actionWith().handler(ctx)).rejects.toThrow(
      /values\.name: "admin" is reserved/,
    );
  });

  it('rejects an owner that is not a Group in the catalog', async () => {
    const unknown = await mockContext({
      template: 'billing-service',
      values: { ...values, owner: 'group:default/ghosts' },
    });
    const error = await actionWith()
      .handler(unknown)
      .catch(e => e);
    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toBe(
      'values.owner: Group group:default/ghosts does not exist in the catalog',
    );
  });

  it('rejects a system that does not exist', async () => {
    const ctx = await mockContext({
      template: 'billing-service',
      values: { ...values, system: 'system:default/ledger' },
    });
    await expect(actionWith().handler(ctx)).rejects.toThrow(
      new InputError(
        'values.system: System system:default/ledger does not exist in the catalog',
      ),
    );
  });

  it('rejects a name a Component already has with a ConflictError, writing nothing', async () => {
    const ctx = await mockContext({ template: 'billing-service', values });
    const error = await actionWith([
      ...organisation,
      entity('Component', 'billing-api'),
    ])
      .handler(ctx)
      .catch(e => e);
    expect(error).toBeInstanceOf(ConflictError);
    expect(error.message).toBe(
      'values.name: component:default/billing-api already exists in the catalog',
    );
    expect(await fs.readdir(ctx.workspacePath)).toEqual([]);
  });

  it('lets a resumed task render again after its own Component was registered', async () => {
    const checkpoints = new Map<string, unknown>();
    await actionWith().handler(
      await mockContext(
        { template: 'billing-service', values },
        { checkpoints },
      ),
    );
    const resumed = await mockContext(
      { template: 'billing-service', values },
      { checkpoints },
    );
    await actionWith([
      ...organisation,
      entity('Component', 'billing-api'),
    ]).handler(resumed);
    expect(outputsOf(resumed).files).toBeGreaterThan(10);
  });

  it('validates and lists the files in a dry run, writing nothing', async () => {
    const ctx = await mockContext(
      { template: 'billing-service', values },
      { isDryRun: true },
    );
    const info = vi.spyOn(ctx.logger, 'info');
    await actionWith().handler(ctx);
    expect(await fs.readdir(ctx.workspacePath)).toEqual([]);
    expect(outputsOf(ctx).files).toBeGreaterThan(10);
    expect(info.mock.calls.map(c => String(c[0])).join('\n')).toMatch(
      /would write \d+ files:[\s\S]*catalog-info\.yaml/,
    );
  });

  it('checks the answers in a dry run too', async () => {
    const ctx = await mockContext(
      {
        template: 'billing-service',
        values: { ...values, owner: 'group:default/ghosts' },
      },
      { isDryRun: true },
    );
    await expect(actionWith().handler(ctx)).rejects.toThrow(/values\.owner/);
  });

  it('rejects a golden path that does not exist', async () => {
    const ctx = await mockContext({ template: 'payroll-service', values });
    await expect(actionWith().handler(ctx)).rejects.toThrow(
      new InputError('template: no golden path named "payroll-service"'),
    );
  });

  it('never logs the answers', async () => {
    const ctx = await mockContext({
      template: 'billing-service',
      values: { ...values, oncall: 'sentinel-rotation-42' },
    });
    const calls: unknown[] = [];
    for (const level of ['info', 'debug', 'warn', 'error'] as const) {
      vi.spyOn(ctx.logger, level).mockImplementation(
        (...args: unknown[]) => void calls.push(args),
      );
    }
    await actionWith().handler(ctx);
    expect(calls.length).toBeGreaterThan(0);
    expect(JSON.stringify(calls)).not.toContain('sentinel-rotation-42');
  });
});
