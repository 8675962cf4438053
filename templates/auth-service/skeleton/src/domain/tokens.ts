import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { HttpError, type Db } from '@paver/service-runtime';
import { epochSeconds, systemClock, type Clock } from './clock.js';
import { signJwt, verifyJwt, type AccessClaims } from './jwt.js';
import type { KeyStore } from './keys.js';
import type { AuthSettings } from './settings.js';
import type { User } from './users.js';

/** The OAuth 2.0 token response shape (RFC 6749 §5.1). */
export interface TokenResponse {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  refresh_token: string;
}

interface RefreshRow {
  id: string;
  family_id: string;
  user_id: string;
  email: string;
  expires_at: Date;
  used_at: Date | null;
  used_by: string | null;
  revoked_at: Date | null;
}

/** Only this digest is stored: a database leak gives no usable refresh token. */
export const digest = (token: string) => createHash('sha256').update(token).digest('hex');

// The same invalid_grant for unknown, expired, revoked and reused tokens (RFC 6749 §5.2).
const invalidGrant = () => new HttpError(400, 'invalid_grant', 'the refresh token is invalid, expired or revoked');

// Not invalid_grant: the client's tokens are fine, another of its requests just got the new pair first.
const concurrentRefresh = () =>
  new HttpError(
    409,
    'concurrent_refresh',
    'this refresh token was exchanged moments ago by a concurrent request from this client; use the tokens that request received',
  );

export class TokenService {
  constructor(
    private readonly db: Db,
    private readonly keys: KeyStore,
    private readonly settings: AuthSettings,
    private readonly clock: Clock = systemClock,
  ) {}

  /** A new access token and a refresh token that starts a new family (one per login). */
  async issue(user: Pick<User, 'id' | 'email'>): Promise<TokenResponse> {
    const refresh = await this.storeRefreshToken(this.db, user.id, randomUUID(), this.clock());
    return this.response(user, refresh);
  }

  /**
   * Exchanges a refresh token for a new pair. The old token is spent; presenting it again means
   * it was copied, so its whole family is revoked, including the token issued in its place.
   * One exception: the client that spent it, presenting it again within the grace window, is
   * racing itself (two tabs refreshing at once). It gets a 409 and its family stays valid.
   * `client` is its clientFingerprint.
   */
  async refresh(presented: string, client: string): Promise<TokenResponse> {
    const now = this.clock();
    const outcome = await this.db.transaction(async tx => {
      const [row] = await tx.query<RefreshRow>(
        `SELECT t.id, t.family_id, t.user_id, u.email, t.expires_at, t.used_at, t.used_by, t.revoked_at
           FROM refresh_tokens t JOIN users u ON u.id = t.user_id
          WHERE t.token_hash = $1 FOR UPDATE OF t`,
        [digest(presented)],
      );
      if (!row || row.revoked_at) return { kind: 'invalid' as const };
      if (row.used_at) {
        if (this.isOwnConcurrentRefresh(row, client, now)) return { kind: 'concurrent' as const };
        await revokeFamily(tx, row.family_id, now);
        return { kind: 'reused' as const };
      }
      if (row.expires_at.getTime() <= now.getTime()) return { kind: 'invalid' as const };
      await tx.query(`UPDATE refresh_tokens SET used_at = $2, used_by = $3 WHERE id = $1`, [row.id, now, client]);
      const next = await this.storeRefreshToken(tx, row.user_id, row.family_id, now);
      return { kind: 'rotated' as const, user: { id: row.user_id, email: row.email }, next };
    });
    // Thrown after the transaction, so the family's revocation on reuse is committed.
    if (outcome.kind === 'concurrent') throw concurrentRefresh();
    if (outcome.kind !== 'rotated') throw invalidGrant();
    return this.response(outcome.user, outcome.next);
  }

  /** Revokes the token's family (logout). Unknown tokens are ignored, as RFC 7009 asks. */
  async revoke(presented: string): Promise<void> {
    const [row] = await this.db.query<{ family_id: string }>(`SELECT family_id FROM refresh_tokens WHERE token_hash = $1`, [
      digest(presented),
    ]);
    if (row) await revokeFamily(this.db, row.family_id, this.clock());
  }

  async verifyAccessToken(token: string): Promise<AccessClaims> {
    return verifyJwt(token, await this.keys.verificationKeys(), {
      issuer: this.settings.issuer,
      audience: this.settings.audience,
      now: epochSeconds(this.clock),
    });
  }

  /** A refresh token's row if it could still be exchanged, for introspection. */
  async activeRefreshToken(presented: string): Promise<{ user_id: string; email: string; expires_at: Date } | undefined> {
    const [row] = await this.db.query<RefreshRow>(
      `SELECT t.user_id, u.email, t.expires_at FROM refresh_tokens t JOIN users u ON u.id = t.user_id
        WHERE t.token_hash = $1 AND t.used_at IS NULL AND t.revoked_at IS NULL AND t.expires_at > $2`,
      [digest(presented), this.clock()],
    );
    return row;
  }

  private async response(user: Pick<User, 'id' | 'email'>, refreshToken: string): Promise<TokenResponse> {
    const now = epochSeconds(this.clock);
    const ttl = this.settings.accessTokenTtlSeconds;
    const claims: AccessClaims = {
      iss: this.settings.issuer,
      sub: user.id,
      aud: this.settings.audience,
      iat: now,
      exp: now + ttl,
      jti: randomUUID(),
      email: user.email,
      ...(this.settings.accessTokenScopes.length > 0 ? { scope: this.settings.accessTokenScopes.join(' ') } : {}),
    };
    const accessToken = signJwt(claims, await this.keys.signingKey());
    return { access_token: accessToken, token_type: 'Bearer', expires_in: ttl, refresh_token: refreshToken };
  }

  // A real replay comes from elsewhere or later; a race is the same client within seconds.
  private isOwnConcurrentRefresh(row: RefreshRow, client: string, now: Date): boolean {
    const graceMs = this.settings.refreshReuseGraceSeconds * 1000;
    return row.used_by === client && row.used_at !== null && now.getTime() - row.used_at.getTime() <= graceMs;
  }

  private async storeRefreshToken(db: Db, userId: string, familyId: string, now: Date): Promise<string> {
    const token = randomBytes(32).toString('base64url');
    const expiresAt = new Date(now.getTime() + this.settings.refreshTokenTtlSeconds * 1000);
    await db.query(`INSERT INTO refresh_tokens (family_id, user_id, token_hash, expires_at) VALUES ($1, $2, $3, $4)`, [
      familyId,
      userId,
      digest(token),
      expiresAt,
    ]);
    return token;
  }
}

async function revokeFamily(db: Db, familyId: string, now: Date): Promise<void> {
  await db.query(`UPDATE refresh_tokens SET revoked_at = $2 WHERE family_id = $1 AND revoked_at IS NULL`, [familyId, now]);
}
