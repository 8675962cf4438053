-- The stored outcome of a POST made with an Idempotency-Key; written in the same transaction as
-- the request's own effects, so a key is either absent or holds a committed response.
CREATE TABLE idempotency_keys (
  key text PRIMARY KEY,
  request_hash text NOT NULL,
  method text NOT NULL,
  path text NOT NULL,
  response_status integer,
  response_headers text,
  response_body text,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- PSP events already applied: a replayed event id is acknowledged and not applied again.
CREATE TABLE psp_events (
  event_id text PRIMARY KEY,
  type text NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now()
);
