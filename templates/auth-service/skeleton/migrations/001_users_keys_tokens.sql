-- Users: one row per account. Passwords are stored only as scrypt hashes with a per-user salt.
CREATE TABLE users (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  email text NOT NULL,
  password_hash text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
-- Emails are unique regardless of case: Alice@x.org and alice@x.org are one account.
CREATE UNIQUE INDEX users_email_lower_key ON users (lower(email));

-- RS256 signing keys. The newest unretired key signs; retired keys stay in the JWKS until the
-- tokens they signed have expired, so rotation never breaks a valid token.
CREATE TABLE signing_keys (
  kid text PRIMARY KEY,
  private_key_pem text NOT NULL,
  public_jwk jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
  retired_at timestamptz
);

-- Refresh tokens: only their SHA-256 is stored. Each use replaces the token with a new one in the
-- same family; presenting a used token again means it leaked, and the whole family is revoked.
CREATE TABLE refresh_tokens (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  family_id uuid NOT NULL,
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  token_hash text NOT NULL UNIQUE,
  expires_at timestamptz NOT NULL,
  used_at timestamptz,
  revoked_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX refresh_tokens_family_idx ON refresh_tokens (family_id);
