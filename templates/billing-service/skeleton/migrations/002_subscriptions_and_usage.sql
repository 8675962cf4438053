-- Period bounds are derived from billing_anchor + period_index so month-end clamping never drifts
-- (Jan 31 -> Feb 28 -> Mar 31, not Mar 28); the stored bounds are a copy for queries.
CREATE TABLE subscriptions (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  customer_id uuid NOT NULL REFERENCES customers (id),
  plan_id uuid NOT NULL REFERENCES plans (id),
  status text NOT NULL CHECK (status IN ('active', 'past_due', 'canceled')),
  billing_anchor timestamptz NOT NULL,
  period_index integer NOT NULL DEFAULT 0 CHECK (period_index >= 0),
  current_period_start timestamptz NOT NULL,
  current_period_end timestamptz NOT NULL,
  cancel_at_period_end boolean NOT NULL DEFAULT false,
  canceled_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  CHECK (current_period_end > current_period_start),
  CHECK ((status = 'canceled') = (canceled_at IS NOT NULL))
);
CREATE INDEX subscriptions_by_customer ON subscriptions (customer_id);

-- event_id is the caller's id for the event; a retry with the same id is never counted twice.
CREATE TABLE usage_events (
  event_id text PRIMARY KEY,
  subscription_id uuid NOT NULL REFERENCES subscriptions (id),
  meter text NOT NULL,
  quantity bigint NOT NULL CHECK (quantity > 0),
  occurred_at timestamptz NOT NULL,
  recorded_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX usage_events_by_period ON usage_events (subscription_id, occurred_at, meter);
