CREATE TABLE invoices (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  -- assigned at finalization from invoice_numbers, so numbers have no gaps
  number text UNIQUE,
  subscription_id uuid NOT NULL REFERENCES subscriptions (id),
  customer_id uuid NOT NULL REFERENCES customers (id),
  currency char(3) NOT NULL,
  period_start timestamptz NOT NULL,
  period_end timestamptz NOT NULL,
  status text NOT NULL CHECK (status IN ('draft', 'open', 'paid')),
  total_minor bigint NOT NULL CHECK (total_minor >= 0),
  payment_reference text,
  created_at timestamptz NOT NULL DEFAULT now(),
  finalized_at timestamptz,
  paid_at timestamptz,
  -- one invoice per subscription period, whatever races the API sees
  UNIQUE (subscription_id, period_start)
);

CREATE TABLE invoice_lines (
  invoice_id uuid NOT NULL REFERENCES invoices (id),
  position integer NOT NULL,
  kind text NOT NULL CHECK (kind IN ('plan', 'usage')),
  description text NOT NULL,
  meter text,
  quantity bigint NOT NULL CHECK (quantity >= 0),
  unit_amount_minor bigint NOT NULL CHECK (unit_amount_minor >= 0),
  amount_minor bigint NOT NULL CHECK (amount_minor >= 0),
  PRIMARY KEY (invoice_id, position)
);

-- A single counter row updated under its row lock: a sequence would leave gaps on rollback.
CREATE TABLE invoice_numbers (
  singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  last_value bigint NOT NULL
);
INSERT INTO invoice_numbers (last_value) VALUES (0);
