import { CatalogRouteError } from '../../api/catalogRoute';
import { fakeCatalogFor } from '../__testUtils__/catalogClients';
import { OnCallClient } from './onCallClient';

const catalog = fakeCatalogFor(OnCallClient);

describe('OnCallClient', () => {
  it("asks the catalog module's on-call route for the entity, at an instant when given one", async () => {
    const report = { entityRef: 'component:default/billing-api' };
    const { client, asked } = catalog.answering(Response.json(report));

    expect(
      await client.report(
        'component:default/billing-api',
        new Date('2026-12-02T03:00:00Z'),
      ),
    ).toEqual(report);
    expect(asked).toEqual([
      `${catalog.base}/paver/oncall?entity=component%3Adefault%2Fbilling-api&at=2026-12-02T03%3A00%3A00.000Z`,
    ]);
  });

  it("fails with the server's message and status, which name what is missing", async () => {
    const message =
      'component:default/billing-api has no on-call schedule: set paver.dev/oncall on it or on its owner Group';
    const { client } = catalog.refusing(message);

    const error = await client
      .report('component:default/billing-api')
      .catch(e => e);
    expect(error).toBeInstanceOf(CatalogRouteError);
    expect(error).toMatchObject({ message, status: 404 });
  });

  it('fails with the status when the answer is not an error body', async () => {
    const { client } = catalog.behindBadGateway();

    await expect(
      client.report('component:default/billing-api'),
    ).rejects.toThrow(
      'on-call for component:default/billing-api: 502 Bad Gateway',
    );
  });
});
