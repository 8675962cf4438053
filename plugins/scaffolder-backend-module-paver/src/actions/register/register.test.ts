import { mockCredentials } from '@backstage/backend-test-utils';
import { ConflictError, NotAllowedError } from '@backstage/errors';
import { entity } from '../../testing/catalogEntities';
import { FakeCatalog, locationRef } from '../../testing/fakeCatalog';
import { mockContext, outputsOf } from '../../testing/mockContext';
import { createRegisterAction, NotRegisteredError } from './register';

const URL = 'http://localhost:7007/api/scaffolder/paver/repos/billing-api/contents/catalog-info.yaml';
const documents = { [URL]: [entity('API', 'billing-api'), entity('Component', 'billing-api')] };

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
    expect(outputsOf(ctx)).toEqual({ entityRef: 'component:default/billing-api' });
    expect(catalog.calls.addLocation).toBe(1);
    expect(catalog.calls.refreshEntity).toEqual([locationRef(URL)]);
    // It waited for processing rather than returning before the entity existed.
    expect(catalog.calls.getEntities).toBeGreaterThan(3);
  });

  it('treats a location that is already registered as success (a retried task)', async () => {
    const catalog = new FakeCatalog(documents);
    await actionWith(catalog).handler(await mockContext({ catalogInfoUrl: URL }));
    const retry = await mockContext({ catalogInfoUrl: URL });
    await actionWith(catalog).handler(retry);
    expect(outputsOf(retry).entityRef).toBe('component:default/billing-api');
    expect(catalog.calls.addLocation).toBe(2);
  });

  it('says "published, not registered" with the reason when the catalog refuses the location', async () => {
    const catalog = new FakeCatalog(documents, { addLocationError: new NotAllowedError('no permission to create locations') });
    const error = await actionWith(catalog).handler(await mockContext({ catalogInfoUrl: URL })).catch(e => e);
    expect(error).toBeInstanceOf(NotRegisteredError);
    expect(error.message).toBe(`published to ${URL}, not registered: no permission to create locations`);
    expect(error.cause).toBeInstanceOf(NotAllowedError);
  });

  it('gives up after its bound with the location processing error as the reason', async () => {
    const catalog = new FakeCatalog(documents, { unreadable: URL });
    const error = await actionWith(catalog, 50).handler(await mockContext({ catalogInfoUrl: URL })).catch(e => e);
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
    await actionWith(catalog).handler(await mockContext({ catalogInfoUrl: URL }, { isDryRun: true }));
    expect(catalog.calls.addLocation).toBe(0);
  });

  it('rejects a file path, which the catalog would not read', async () => {
    const catalog = new FakeCatalog(documents);
    await expect(actionWith(catalog).handler(await mockContext({ catalogInfoUrl: '/etc/passwd' }))).rejects.toThrow(
      'catalogInfoUrl: must be an absolute http(s) URL',
    );
    expect(catalog.calls.addLocation).toBe(0);
  });

  it('a conflicting location without the refresh strategy would have failed (the fake is strict)', async () => {
    const catalog = new FakeCatalog(documents);
    await catalog.addLocation({ type: 'url', target: URL });
    await expect(catalog.addLocation({ type: 'url', target: URL })).rejects.toThrow(ConflictError);
  });
});
