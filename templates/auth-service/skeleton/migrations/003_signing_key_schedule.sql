-- Key rotation on a schedule: a new key is published in the JWKS at once but signs only from
-- activates_at (one JWKS cache lifetime later), and the key it replaces stops signing then
-- (retired_at = the successor's activates_at). Keys from before this migration signed from creation.
ALTER TABLE signing_keys ADD COLUMN activates_at timestamptz;
UPDATE signing_keys SET activates_at = created_at;
ALTER TABLE signing_keys ALTER COLUMN activates_at SET NOT NULL;
