-- @paver/events: the transactional outbox a service writes its events to in the same transaction
-- as the change they announce, and the inbox of event ids each consumer has already handled.
CREATE TABLE paver_outbox (
  id uuid PRIMARY KEY,
  subject text NOT NULL,
  envelope jsonb NOT NULL,
  trace_carrier jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
  published_at timestamptz
);
CREATE INDEX paver_outbox_unpublished ON paver_outbox (created_at, id) WHERE published_at IS NULL;

CREATE TABLE paver_inbox (
  consumer text NOT NULL,
  event_id text NOT NULL,
  subject text NOT NULL,
  handled_at timestamptz NOT NULL DEFAULT clock_timestamp(),
  PRIMARY KEY (consumer, event_id)
);
