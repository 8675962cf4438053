import { fakeCatalogFor } from '../__testUtils__/catalogClients';
import { SloClient } from './sloClient';

const catalog = fakeCatalogFor(SloClient);

describe('SloClient', () => {
  it("asks the catalog module's SLO route for the entity", async () => {
    const report = { entityRef: 'component:default/billing-api', slos: [] };
    const { client, asked } = catalog.answering(Response.json(report));

    expect(await client.report('component:default/billing-api')).toEqual(
      report,
    );
    expect(asked).toEqual([
      `${catalog.base}/paver/slo?entity=component%3Adefault%2Fbilling-api`,
    ]);
  });

  it("fails with the server's message, which names what is missing", async () => {
    const message = 'no entity component:default/nope in the catalog';
    const { client } = catalog.refusing(message);

    await expect(client.report('component:default/nope')).rejects.toThrow(
      message,
    );
  });

  it('fails with the status when the answer is not an error body', async () => {
    const { client } = catalog.behindBadGateway();

    await expect(
      client.report('component:default/billing-api'),
    ).rejects.toThrow('SLOs of component:default/billing-api: 502 Bad Gateway');
  });
});
