import fs from 'node:fs/promises';
import path from 'node:path';
import { mockCredentials } from '@backstage/backend-test-utils';
import { ConflictError, NotAllowedError } from '@backstage/errors';
import { entity } from '../../__testUtils__/catalogEntities';
import { FakeCatalog, locationRef } from '../../__testUtils__/fakeCatalog';
import {
  mockContext,
  outputsOf,
  tempDir,
} from '../../__testUtils__/mockContext';
import { createRegisterAction, NotRegisteredError } from './register';

const URL =
  'http://localhost:7007/api/scaffolder/paver/repos/billing-api/contents/catalog-info.yaml';
const documents = {
  [URL]: [entity('API', 'billing-api'), entity('Component', 'billing-api')],
};

function actionWith(catalog: FakeCatalog, timeoutMs = 2_000) {
  return createRegisterAction({
    catalog: catalog as never,
    serviceCredentials: async () => mockCredentials.service(),
    timeoutMs,
    pollIntervalMs: 1,
  });
}

describe('paver:catalog:register', () => {
  it('registers the location, refreshes it at once and returns the Component', async () => {
    const catalog = new FakeCatalog(documents, { pollsUntilProcessed: 3 });
    const ctx = await mockContext({ catalogInfoUrl: URL });
    await actionWith(catalog).handler(ctx);
    expect(outputsOf(ctx)).toEqual({
      entityRef: 'component:default/billing-api',
    });
    expect(catalog.calls.addLocation).toBe(1);
    expect(catalog.calls.refreshEntity).toEqual([locationRef(URL)]);
    // It waited for processing rather than returning before the entity existed.
    expect(catalog.calls.getEntities).toBeGreaterThan(3);
  });

  it('treats a location that is already registered as success (a retried task)', async () => {
    const catalog = new FakeCatalog(documents);
    await actionWith(catalog).handler(
      await mockContext({ catalogInfoUrl: URL }),
    );
    const retry = await mockContext({ catalogInfoUrl: URL });
    await actionWith(catalog).handler(retry);
    expect(outputsOf(retry).entityRef).toBe('component:default/billing-api');
    expect(catalog.calls.addLocation).toBe(2);
  });

  it('says "published, not registered" with the reason when the catalog refuses the location', async () => {
    const catalog = new FakeCatalog(documents, {
      addLocationError: new NotAllowedError(
        'no permission to create locations',
      ),
    });
    const error = await actionWith(catalog)
      .handler(await mockContext({ catalogInfoUrl: URL }))
      .catch(e => e);
    expect(error).toBeInstanceOf(NotRegisteredError);
    expect(error.message).toBe(
      `published to ${URL}, not registered: no permission to create locations`,
    );
    expect(error.cause).toBeInstanceOf(NotAllowedError);
  });

  it('gives up after its bound with the location processing error as the reason', async () => {
    const catalog = new FakeCatalog(documents, { unreadable: URL });
    const error = await actionWith(catalog, 50)
      .handler(await mockContext({ catalogInfoUrl: URL }))
      .catch(e => e);
    expect(error).toBeInstanceOf(NotRegisteredError);
    expect(error.message).toBe(
      `published to ${URL}, not registered: no entity from ${URL} in the catalog after 0.05 s ` +
        `(NotAllowedError: Reading from '${URL}' is not allowed)`,
    );
  });

  it('returns the first entity when the file holds no Component', async () => {
    const catalog = new FakeCatalog({ [URL]: [entity('API', 'billing-api')] });
    const ctx = await mockContext({ catalogInfoUrl: URL });
    await actionWith(catalog).handler(ctx);
    expect(outputsOf(ctx).entityRef).toBe('api:default/billing-api');
  });

  it('registers nothing in a dry run', async () => {
    const catalog = new FakeCatalog(documents);
    await actionWith(catalog).handler(
      await mockContext({ catalogInfoUrl: URL }, { isDryRun: true }),
    );
    expect(catalog.calls.addLocation).toBe(0);
  });

  it('rejects a file path, which the catalog would not read', async () => {
    const catalog = new FakeCatalog(documents);
    await expect(
      actionWith(catalog).handler(
        await mockContext({ catalogInfoUrl: '/etc/passwd' }),
      ),
    ).rejects.toThrow('catalogInfoUrl: must be an absolute http(s) URL');
    expect(catalog.calls.addLocation).toBe(0);
  });

  it('a conflicting location without the refresh strategy would have failed (the fake is strict)', async () => {
    const catalog = new FakeCatalog(documents);
    await catalog.addLocation({ type: 'url', target: URL });
    await expect(
      catalog.addLocation({ type: 'url', target: URL }),
    ).rejects.toThrow(ConflictError);
  });
});

/** A catalog with a backlog: the location is registered but never processed within the bound. */
class BackloggedCatalog extends FakeCatalog {
  constructor(
    private readonly errors: Record<
      string,
      { name: string; message: string }
    > = {},
  ) {
    super(documents);
  }
  override async getEntities(request?: { filter?: Record<string, string> }) {
    const { items } = await super.getEntities(request);
    return { items: items.filter(e => e.kind === 'Location') };
  }
  override async getEntityByRef(ref: string) {
    const error = this.errors[ref];
    if (error) {
      return {
        ...entity('Component', ref.split('/')[1]),
        status: {
          items: [
            {
              type: 'backstage.io/catalog-processing',
              level: 'error',
              message: 'x',
              error,
            },
          ],
        },
      } as never;
    }
    return super.getEntityByRef(ref);
  }
}

/** A workspace holding what was published, as paver:render leaves it. */
async function publishedWorkspace(): Promise<string> {
  const dir = await tempDir('paver-register-');
  await fs.writeFile(
    path.join(dir, 'catalog-info.yaml'),
    'apiVersion: backstage.io/v1alpha1\nkind: API\nmetadata:\n  name: billing-api\n---\napiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: billing-api\n',
  );
  return dir;
}

describe('paver:catalog:register with a catalog that is still processing', () => {
  it('succeeds with a warning and the expected entity ref when the wait times out without a processing error', async () => {
    const catalog = new BackloggedCatalog();
    const ctx = await mockContext(
      { catalogInfoUrl: URL },
      { workspacePath: await publishedWorkspace() },
    );
    const warn = vi.spyOn(ctx.logger, 'warn');
    await actionWith(catalog, 50).handler(ctx);
    expect(outputsOf(ctx)).toEqual({
      entityRef: 'component:default/billing-api',
    });
    expect(warn).toHaveBeenCalledWith(
      'registered; the catalog is still processing a backlog — component:default/billing-api will appear shortly',
    );
  });

  it('fails when the entity reports a processing error', async () => {
    const catalog = new BackloggedCatalog({
      'component:default/billing-api': {
        name: 'InputError',
        message: 'spec.owner is missing',
      },
    });
    const ctx = await mockContext(
      { catalogInfoUrl: URL },
      { workspacePath: await publishedWorkspace() },
    );
    const error = await actionWith(catalog, 50)
      .handler(ctx)
      .catch(e => e);
    expect(error).toBeInstanceOf(NotRegisteredError);
    expect(error.message).toBe(
      `published to ${URL}, not registered: no entity from ${URL} in the catalog after 0.05 s (InputError: spec.owner is missing)`,
    );
  });

  it('fails when the location reports a processing error, even with the file in the workspace', async () => {
    const catalog = new BackloggedCatalog({
      [locationRef(URL)]: { name: 'NotAllowedError', message: 'nope' },
    });
    const ctx = await mockContext(
      { catalogInfoUrl: URL },
      { workspacePath: await publishedWorkspace() },
    );
    const error = await actionWith(catalog, 50)
      .handler(ctx)
      .catch(e => e);
    expect(error).toBeInstanceOf(NotRegisteredError);
    expect(error.message).toContain('(NotAllowedError: nope)');
  });

  it('fails when it cannot tell which entity the file declares (nothing in the workspace)', async () => {
    const catalog = new BackloggedCatalog();
    const error = await actionWith(catalog, 50)
      .handler(await mockContext({ catalogInfoUrl: URL }))
      .catch(e => e);
    expect(error).toBeInstanceOf(NotRegisteredError);
    expect(error.message).toContain('no processing error reported');
  });
});

describe('paver:catalog:register with a prioritizer', () => {
  function withPrioritizer(
    catalog: FakeCatalog,
    prioritize: (
      refs: string[],
      queue?: 'processing' | 'stitching',
    ) => Promise<string[]>,
  ) {
    return createRegisterAction({
      catalog: catalog as never,
      serviceCredentials: async () => mockCredentials.service(),
      timeoutMs: 2_000,
      pollIntervalMs: 1,
      prioritize,
    });
  }

  it('prioritizes the location, then the entity once its row exists, then its stitch, and nothing else', async () => {
    const catalog = new FakeCatalog(documents, { pollsUntilProcessed: 8 });
    const calls: string[][] = [];
    let polls = 0;
    const prioritize = vi.fn(
      async (
        refs: string[],
        queue: 'processing' | 'stitching' = 'processing',
      ) => {
        calls.push(queue === 'processing' ? refs : ['stitching', ...refs]);
        // The location's row exists at once; the entity's row after the location was processed;
        // its stitch_queue row after the entity was processed.
        ++polls;
        return refs.filter(
          r =>
            r.startsWith('location:') ||
            (queue === 'processing' ? polls > 2 : polls > 4),
        );
      },
    );
    const ctx = await mockContext(
      { catalogInfoUrl: URL },
      { workspacePath: await publishedWorkspace() },
    );
    await withPrioritizer(catalog, prioritize).handler(ctx);
    expect(outputsOf(ctx)).toEqual({
      entityRef: 'component:default/billing-api',
    });
    expect(calls[0]).toEqual([
      locationRef(URL),
      'component:default/billing-api',
    ]);
    expect(calls.slice(1)).toEqual([
      ['component:default/billing-api'],
      ['component:default/billing-api'],
      ['stitching', 'component:default/billing-api'],
      ['stitching', 'component:default/billing-api'],
    ]);
    expect(catalog.calls.refreshEntity).toEqual([]);
  });

  it('falls back to refreshing the location when prioritizing fails', async () => {
    const catalog = new FakeCatalog(documents, { pollsUntilProcessed: 2 });
    const ctx = await mockContext(
      { catalogInfoUrl: URL },
      { workspacePath: await publishedWorkspace() },
    );
    const warn = vi.spyOn(ctx.logger, 'warn');
    await withPrioritizer(catalog, async () => {
      throw new Error('404 Not Found');
    }).handler(ctx);
    expect(outputsOf(ctx)).toEqual({
      entityRef: 'component:default/billing-api',
    });
    expect(catalog.calls.refreshEntity).toEqual([locationRef(URL)]);
    expect(warn).toHaveBeenCalledWith(
      expect.stringContaining('could not prioritize'),
    );
  });
});
