-- Login attempts, for the per-email and per-address login limits every replica shares. A row is
-- written before the password is checked and deleted when the login succeeds, so the rows inside
-- the window are the failures (and the checks still in flight). Rows older than the window are
-- deleted as new attempts come in.
CREATE TABLE login_attempts (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  scope text NOT NULL CHECK (scope IN ('email', 'ip')),
  -- SHA-256 of the lower-cased email or of the client address: neither is stored in clear.
  subject text NOT NULL,
  attempted_at timestamptz NOT NULL
);
CREATE INDEX login_attempts_subject_idx ON login_attempts (scope, subject, attempted_at);
CREATE INDEX login_attempts_attempted_at_idx ON login_attempts (attempted_at);
