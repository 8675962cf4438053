import { createServer, type Server } from 'node:http';
import { probeService } from './__fixtures__/probe/service.js';
import { startTestService } from './testing/index.js';
import { traceCarrier, withSpan } from './tracing.js';

interface ExportedSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
}

/** An OTLP/HTTP receiver: what a collector on :4318 would get, as OTLP JSON. */
async function startReceiver(): Promise<{
  url: string;
  spans: ExportedSpan[];
  close(): Promise<void>;
}> {
  const spans: ExportedSpan[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', chunk => chunks.push(chunk));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      for (const resource of body.resourceSpans ?? []) {
        for (const scope of resource.scopeSpans ?? [])
          spans.push(...scope.spans);
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}/v1/traces`,
    spans,
    close: () => new Promise(resolve => server.close(() => resolve())),
  };
}

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const PARENT_SPAN = '00f067aa0ba902b7';

describe('traces', () => {
  it('exports the request span over OTLP as a child of the incoming traceparent, with its database spans', async () => {
    const receiver = await startReceiver();
    const service = await startTestService(probeService, {
      env: { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: receiver.url },
    });
    try {
      const res = await fetch(`${service.baseUrl}/items/1`, {
        headers: { traceparent: `00-${TRACE_ID}-${PARENT_SPAN}-01` },
      });
      expect(res.status).toBe(404);
      expect(res.headers.get('traceparent')).toMatch(
        new RegExp(`^00-${TRACE_ID}-[0-9a-f]{16}-01$`),
      );
    } finally {
      await service.stop();
      await receiver.close();
    }
    const server = receiver.spans.find(s => s.name === 'GET /items/:id');
    expect(server).toMatchObject({
      traceId: TRACE_ID,
      parentSpanId: PARENT_SPAN,
    });
    const query = receiver.spans.find(
      s => s.name === 'db.query' && s.parentSpanId === server!.spanId,
    );
    expect(query?.traceId).toBe(TRACE_ID);
  });

  it('carries the trace through a stored carrier, as an outbox row does across an asynchronous hop', async () => {
    const enqueued = await withSpan('enqueue', {}, async () => traceCarrier());
    expect(enqueued.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    const traceId = enqueued.traceparent.split('-')[1];
    const dispatched = await withSpan(
      'dispatch',
      {},
      async () => traceCarrier(),
      { parent: enqueued },
    );
    expect(dispatched.traceparent.split('-')[1]).toBe(traceId);
  });
});
