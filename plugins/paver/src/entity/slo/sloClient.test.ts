import {
  CATALOG_BASE,
  catalogApisAnswering,
} from '../../api/__testUtils__/catalogApis';
import { SloClient } from './sloClient';

const BASE = CATALOG_BASE;

function clientAnswering(response: Response) {
  const { asked, discovery, fetchApi } = catalogApisAnswering(response);
  return { client: new SloClient(discovery, fetchApi), asked };
}

describe('SloClient', () => {
  it("asks the catalog module's SLO route for the entity", async () => {
    const report = { entityRef: 'component:default/billing-api', slos: [] };
    const { client, asked } = clientAnswering(Response.json(report));

    expect(await client.report('component:default/billing-api')).toEqual(
      report,
    );
    expect(asked).toEqual([
      `${BASE}/paver/slo?entity=component%3Adefault%2Fbilling-api`,
    ]);
  });

  it("fails with the server's message, which names what is missing", async () => {
    const message = 'no entity component:default/nope in the catalog';
    const { client } = clientAnswering(
      Response.json(
        { error: { name: 'NotFoundError', message } },
        { status: 404 },
      ),
    );

    await expect(client.report('component:default/nope')).rejects.toThrow(
      message,
    );
  });

  it('fails with the status when the answer is not an error body', async () => {
    const { client } = clientAnswering(
      new Response('<html>bad gateway</html>', {
        status: 502,
        statusText: 'Bad Gateway',
      }),
    );

    await expect(
      client.report('component:default/billing-api'),
    ).rejects.toThrow('SLOs of component:default/billing-api: 502 Bad Gateway');
  });
});
