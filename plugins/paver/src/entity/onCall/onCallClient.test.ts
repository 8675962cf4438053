import { CatalogRouteError } from '../../api/catalogRoute';
import {
  CATALOG_BASE,
  catalogApisAnswering,
} from '../../api/__testUtils__/catalogApis';
import { OnCallClient } from './onCallClient';

const BASE = CATALOG_BASE;

function clientAnswering(response: Response) {
  const { asked, discovery, fetchApi } = catalogApisAnswering(response);
  return { client: new OnCallClient(discovery, fetchApi), asked };
}

describe('OnCallClient', () => {
  it("asks the catalog module's on-call route for the entity, at an instant when given one", async () => {
    const report = { entityRef: 'component:default/billing-api' };
    const { client, asked } = clientAnswering(Response.json(report));

    expect(
      await client.report(
        'component:default/billing-api',
        new Date('2026-12-02T03:00:00Z'),
      ),
    ).toEqual(report);
    expect(asked).toEqual([
      `${BASE}/paver/oncall?entity=component%3Adefault%2Fbilling-api&at=2026-12-02T03%3A00%3A00.000Z`,
    ]);
  });

  it("fails with the server's message and status, which name what is missing", async () => {
    const message =
      'component:default/billing-api has no on-call schedule: set paver.dev/oncall on it or on its owner Group';
    const { client } = clientAnswering(
      Response.json(
        { error: { name: 'NotFoundError', message } },
        { status: 404 },
      ),
    );

    const error = await client
      .report('component:default/billing-api')
      .catch(e => e);
    expect(error).toBeInstanceOf(CatalogRouteError);
    expect(error).toMatchObject({ message, status: 404 });
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
    ).rejects.toThrow(
      'on-call for component:default/billing-api: 502 Bad Gateway',
    );
  });
});
