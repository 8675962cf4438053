-- The W3C trace context of the request that enqueued a message (traceparent, tracestate), so the
-- dispatcher's delivery continues that request's trace across the asynchronous hop. Null for
-- messages enqueued outside a trace (digests closed by the worker, rows written before this).
ALTER TABLE outbox ADD COLUMN traceparent text, ADD COLUMN tracestate text;
