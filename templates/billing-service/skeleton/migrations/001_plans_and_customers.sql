-- Plans are the catalogue of what can be sold; prices are integer minor units (cents), never floats.
CREATE TABLE plans (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  code text NOT NULL UNIQUE,
  name text NOT NULL,
  currency char(3) NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  amount_minor bigint NOT NULL CHECK (amount_minor >= 0),
  billing_interval text NOT NULL CHECK (billing_interval IN ('month', 'year')),
  created_at timestamptz NOT NULL DEFAULT now()
);

-- A metered price: usage above the included quantity is billed per unit.
CREATE TABLE plan_meters (
  plan_id uuid NOT NULL REFERENCES plans (id),
  meter text NOT NULL,
  unit_amount_minor bigint NOT NULL CHECK (unit_amount_minor >= 0),
  included_quantity bigint NOT NULL DEFAULT 0 CHECK (included_quantity >= 0),
  PRIMARY KEY (plan_id, meter)
);

CREATE TABLE customers (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  email text NOT NULL,
  name text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
