-- Who exchanged a refresh token (a digest of client address and user agent): the same client
-- presenting it again within seconds is a concurrent refresh, not a replay, and gets a 409
-- instead of its family revoked.
ALTER TABLE refresh_tokens ADD COLUMN used_by text;
