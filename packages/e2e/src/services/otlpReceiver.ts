import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A span as an OTLP/HTTP JSON export carries it, with the service that sent it. */
export interface ReceivedSpan {
  readonly service: string;
  readonly traceId: string;
  readonly name: string;
}

/**
 * Where services send their traces in a test: an OTLP/HTTP receiver on 127.0.0.1 that takes the
 * JSON encoding the OpenTelemetry JS exporter sends to `/v1/traces` and keeps every span, as an
 * OpenTelemetry Collector's OTLP receiver would (no collector binary runs on this machine).
 */
export interface OtlpReceiver {
  /** For `OTEL_EXPORTER_OTLP_ENDPOINT`: `http://127.0.0.1:<port>`. */
  readonly url: string;
  readonly spans: readonly ReceivedSpan[];
  close(): Promise<void>;
}

interface ExportRequest {
  resourceSpans?: {
    resource?: {
      attributes?: { key: string; value: { stringValue?: string } }[];
    };
    scopeSpans?: { spans?: { traceId: string; name: string }[] }[];
  }[];
}

function spansOf(request: ExportRequest): ReceivedSpan[] {
  return (request.resourceSpans ?? []).flatMap(resource => {
    const service =
      resource.resource?.attributes?.find(a => a.key === 'service.name')?.value
        .stringValue ?? '';
    return (resource.scopeSpans ?? []).flatMap(scope =>
      (scope.spans ?? []).map(span => ({
        service,
        traceId: span.traceId,
        name: span.name,
      })),
    );
  });
}

export async function startOtlpReceiver(): Promise<OtlpReceiver> {
  const spans: ReceivedSpan[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', chunk => (body += chunk));
    req.on('end', () => {
      const json = req.headers['content-type']?.startsWith('application/json');
      if (req.method !== 'POST' || req.url !== '/v1/traces' || !json) {
        res.writeHead(415, { 'content-type': 'text/plain' });
        res.end('this receiver takes OTLP/HTTP JSON at POST /v1/traces');
        return;
      }
      spans.push(...spansOf(JSON.parse(body) as ExportRequest));
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"partialSuccess":{}}');
    });
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    spans,
    close: () => new Promise<void>(resolve => server.close(() => resolve())),
  };
}
