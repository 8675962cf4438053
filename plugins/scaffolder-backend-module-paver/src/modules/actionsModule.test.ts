import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  scaffolderActionsExtensionPoint,
  type TemplateAction,
} from '@backstage/plugin-scaffolder-node';
import { tempDir } from '../__testUtils__/mockContext';
import { paverActionsModule } from './actionsModule';

describe('paverActionsModule', () => {
  async function start(paver: Record<string, any>) {
    const actions: TemplateAction<any, any, any>[] = [];
    const backend = await startTestBackend({
      extensionPoints: [
        [
          scaffolderActionsExtensionPoint,
          {
            addActions: (...a: TemplateAction<any, any, any>[]) =>
              actions.push(...a),
          },
        ],
      ],
      features: [
        paverActionsModule,
        catalogServiceMock.factory(),
        mockServices.rootConfig.factory({ data: { paver } }),
        // Requests without a token are anonymous, as on a real backend.
        mockServices.httpAuth.factory({
          defaultCredentials: mockCredentials.none(),
        }),
      ],
    });
    return { backend, actions };
  }

  it('registers the three Paver actions', async () => {
    const { actions, backend } = await start({
      publish: { local: { dataDir: await tempDir() } },
    });
    expect(actions.map(a => a.id).sort()).toEqual([
      'paver:catalog:register',
      'paver:render',
      'paver:repo:publish',
    ]);
    expect(actions.every(a => a.supportsDryRun)).toBe(true);
    await backend.stop();
  });

  it('serves local checkouts to unauthenticated readers (the catalog) under the scaffolder', async () => {
    const { backend } = await start({
      publish: { local: { dataDir: await tempDir() } },
    });
    const res = await fetch(
      `http://localhost:${backend.server.port()}/api/scaffolder/paver/repos/billing-api/contents/catalog-info.yaml`,
    );
    // Reached the handler without a token: not 401, and no such checkout.
    expect(res.status).toBe(404);
    await backend.stop();
  });

  it('does not serve local checkouts when publishing to GitHub', async () => {
    const { backend } = await start({
      publish: { provider: 'github', github: { owner: 'acme' } },
    });
    const res = await fetch(
      `http://localhost:${backend.server.port()}/api/scaffolder/paver/repos/billing-api/contents/catalog-info.yaml`,
    );
    expect(res.status).toBe(401);
    await backend.stop();
  });
});
