-- When each durable consumer of this ledger first subscribed: it reads its producer's stream from
-- then on, so a consumer deployed after its producer does not replay the stream's history, and
-- one whose durable state NATS lost is recreated from the same point (the inbox skips repeats).
CREATE TABLE paver_consumers (
  durable text PRIMARY KEY,
  subscribed_at timestamptz NOT NULL DEFAULT clock_timestamp()
);
