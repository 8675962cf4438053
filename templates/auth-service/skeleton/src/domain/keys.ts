import { createHash, createPrivateKey, createPublicKey, generateKeyPair, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';
import type { Db } from '@paver/service-runtime';
import { systemClock, type Clock } from './clock.js';
import { publicJwk } from './jwt.js';

const generateRsa = promisify(generateKeyPair);

export interface SigningKey {
  kid: string;
  privateKey: KeyObject;
}

/** How long keys are published around the time they sign. */
export interface KeySchedule {
  /** The JWKS response's `Cache-Control: max-age`: a new key is published this long before it signs. */
  jwksMaxAgeSeconds: number;
  /** The longest access-token lifetime: a replaced key stays published this long after it last signed, plus the cache window. */
  accessTokenTtlSeconds: number;
}

/** What a rotation scheduled: the next key and when the current one stops signing and leaves the JWKS. */
export interface RotationPlan {
  kid: string;
  signsFrom: Date;
  replaces: { kid: string; signsUntil: Date; publishedUntil: Date };
}

interface KeyRow {
  kid: string;
  private_key_pem: string;
  public_jwk: Record<string, string>;
}

/** RFC 7638 thumbprint: a kid derived from the key itself, stable and collision-free. */
function thumbprint(publicKey: KeyObject): string {
  const { e, kty, n } = publicKey.export({ format: 'jwk' });
  return createHash('sha256').update(JSON.stringify({ e, kty, n })).digest('base64url');
}

async function newKeyRow(): Promise<KeyRow> {
  const { privateKey, publicKey } = await generateRsa('rsa', { modulusLength: 2048 });
  const kid = thumbprint(publicKey);
  return {
    kid,
    private_key_pem: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
    public_jwk: publicJwk(publicKey, kid),
  };
}

// The key that signs at $1: the newest one active by then and not yet replaced.
const SIGNS_AT = `activates_at <= $1 AND (retired_at IS NULL OR retired_at > $1) ORDER BY activates_at DESC LIMIT 1`;
const LOCK = `SELECT pg_advisory_xact_lock(hashtext('signing_keys'))`;

/**
 * Signing keys live in the service's database: created at first use, shared by every replica.
 * Rotation publishes the next key first and lets it sign only once every cached JWKS holds it;
 * the key it replaces stays published until the last token it signed has expired and every
 * cached JWKS has been refreshed. Every step follows from the timestamps, so no job has to run.
 */
export class KeyStore {
  private readonly parsed = new Map<string, KeyObject>();

  constructor(
    private readonly db: Db,
    private readonly schedule: KeySchedule,
    private readonly clock: Clock = systemClock,
  ) {}

  /** The key that signs now, generating the first one if there is none (once, across replicas). */
  async signingKey(): Promise<SigningKey> {
    const existing = await this.activeKey();
    if (existing) return existing;
    // Generate outside the transaction: RSA generation takes a while and needs no lock.
    const candidate = await newKeyRow();
    await this.db.transaction(async tx => {
      await tx.query(LOCK);
      const [row] = await tx.query(`SELECT kid FROM signing_keys WHERE ${SIGNS_AT}`, [this.clock()]);
      if (!row) await insertKey(tx, candidate, this.clock());
    });
    const active = await this.activeKey();
    if (!active) throw new Error('no active signing key after creating one');
    return active;
  }

  /**
   * Publishes a new key that signs from one JWKS cache lifetime from now, when the current key
   * stops signing. While a rotation is pending, calling again returns the same plan.
   */
  async rotate(): Promise<RotationPlan> {
    await this.signingKey(); // a fresh service gets a key to rotate from
    const candidate = await newKeyRow();
    const now = this.clock();
    const signsFrom = new Date(now.getTime() + this.schedule.jwksMaxAgeSeconds * 1000);
    const next = await this.db.transaction(async tx => {
      await tx.query(LOCK);
      const [current] = await tx.query<{ kid: string }>(`SELECT kid FROM signing_keys WHERE ${SIGNS_AT}`, [now]);
      const [pending] = await tx.query<{ kid: string; activates_at: Date }>(
        `SELECT kid, activates_at FROM signing_keys WHERE activates_at > $1 ORDER BY activates_at DESC LIMIT 1`,
        [now],
      );
      if (pending) return { kid: pending.kid, signsFrom: pending.activates_at, replaces: current.kid };
      await tx.query(`UPDATE signing_keys SET retired_at = $1 WHERE retired_at IS NULL`, [signsFrom]);
      await insertKey(tx, candidate, signsFrom);
      return { kid: candidate.kid, signsFrom, replaces: current.kid };
    });
    return {
      kid: next.kid,
      signsFrom: next.signsFrom,
      replaces: { kid: next.replaces, signsUntil: next.signsFrom, publishedUntil: this.unpublishedAt(next.signsFrom) },
    };
  }

  /** Public JWKs, newest first: the next key, the signing key, and replaced keys whose tokens may still be live or cached. */
  async publishedJwks(): Promise<Record<string, string>[]> {
    const rows = await this.db.query<KeyRow>(
      `SELECT kid, public_jwk FROM signing_keys
        WHERE retired_at IS NULL OR retired_at > $1
        ORDER BY activates_at DESC`,
      [new Date(this.clock().getTime() - this.retentionSeconds() * 1000)],
    );
    return rows.map(r => r.public_jwk);
  }

  /** Public keys by kid, for verifying tokens this service issued. */
  async verificationKeys(): Promise<Map<string, KeyObject>> {
    const jwks = await this.publishedJwks();
    return new Map(jwks.map(jwk => [jwk.kid, createPublicKey({ key: jwk, format: 'jwk' })]));
  }

  // A replaced key's last token expires one TTL after the key stopped signing; the cache window on
  // top is margin for verifiers' clock skew and `exp` leeway (this service allows 30 s), at the
  // cost of publishing the old key a few minutes longer.
  private retentionSeconds(): number {
    return this.schedule.accessTokenTtlSeconds + this.schedule.jwksMaxAgeSeconds;
  }

  private unpublishedAt(signsUntil: Date): Date {
    return new Date(signsUntil.getTime() + this.retentionSeconds() * 1000);
  }

  private async activeKey(): Promise<SigningKey | undefined> {
    const [row] = await this.db.query<KeyRow>(`SELECT kid, private_key_pem FROM signing_keys WHERE ${SIGNS_AT}`, [this.clock()]);
    if (!row) return undefined;
    let privateKey = this.parsed.get(row.kid);
    if (!privateKey) {
      privateKey = createPrivateKey(row.private_key_pem);
      this.parsed.set(row.kid, privateKey);
    }
    return { kid: row.kid, privateKey };
  }
}

async function insertKey(db: Db, row: KeyRow, activatesAt: Date): Promise<void> {
  await db.query(`INSERT INTO signing_keys (kid, private_key_pem, public_jwk, activates_at) VALUES ($1, $2, $3, $4)`, [
    row.kid,
    row.private_key_pem,
    JSON.stringify(row.public_jwk),
    activatesAt,
  ]);
}
