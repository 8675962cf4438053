import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PrometheusApi, PrometheusError } from './prometheusApi';

const servers: Server[] = [];

/** A local HTTP server answering with `handler`; its base URL. */
async function serve(handler: RequestListener): Promise<string> {
  const server = createServer(handler);
  servers.push(server);
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise(resolve => server.close(resolve));
  }
});

describe('PrometheusApi', () => {
  it("reads an instant vector's labels and values, NaN included, asking GET /api/v1/query", async () => {
    const asked: string[] = [];
    const baseUrl = await serve((req, res) => {
      asked.push(req.url!);
      res.setHeader('content-type', 'application/json');
      res.end(
        JSON.stringify({
          status: 'success',
          data: {
            resultType: 'vector',
            result: [
              { metric: { slo: 'a' }, value: [1796228618.2, '0.5'] },
              { metric: { slo: 'b' }, value: [1796228618.2, 'NaN'] },
            ],
          },
        }),
      );
    });

    const samples = await new PrometheusApi({ baseUrl: `${baseUrl}/` }).query(
      'up{job="x"}',
    );
    expect(samples).toEqual([
      { labels: { slo: 'a' }, value: 0.5 },
      { labels: { slo: 'b' }, value: NaN },
    ]);
    expect(asked).toEqual(['/api/v1/query?query=up%7Bjob%3D%22x%22%7D']);
  });

  it('gives up on a Prometheus that does not answer, naming the wait', async () => {
    const baseUrl = await serve(() => {}); // accepts, never answers
    const api = new PrometheusApi({ baseUrl, timeoutMs: 200 });

    const error = await api.query('up').catch(e => e);
    expect(error).toBeInstanceOf(PrometheusError);
    expect(error.message).toBe(
      `Prometheus at ${baseUrl} did not answer within 0.2 s`,
    );
  });

  it("names the query and Prometheus' own reason when it refuses one", async () => {
    const baseUrl = await serve((_req, res) => {
      res.statusCode = 400;
      res.end(
        JSON.stringify({
          status: 'error',
          errorType: 'bad_data',
          error: 'parse error: unexpected end of input',
        }),
      );
    });

    await expect(new PrometheusApi({ baseUrl }).query('up{')).rejects.toThrow(
      `Prometheus at ${baseUrl} answered 400 to up{: parse error: unexpected end of input`,
    );
  });

  it('names the status when a proxy answers instead of Prometheus', async () => {
    const baseUrl = await serve((_req, res) => {
      res.statusCode = 502;
      res.end('<html>Bad Gateway</html>');
    });

    await expect(new PrometheusApi({ baseUrl }).query('up')).rejects.toThrow(
      `Prometheus at ${baseUrl} answered 502 to up`,
    );
  });
});
