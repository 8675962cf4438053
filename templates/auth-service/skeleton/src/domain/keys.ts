import { createHash, createPrivateKey, createPublicKey, generateKeyPair, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';
import type { Db } from '../platform/db.js';
import { publicJwk } from './jwt.js';

const generateRsa = promisify(generateKeyPair);

export interface SigningKey {
  kid: string;
  privateKey: KeyObject;
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

/**
 * Signing keys live in the service's database: created at first use, shared by every replica,
 * rotated by adding a key and retiring the old one (still published until its tokens expire).
 */
export class KeyStore {
  private readonly parsed = new Map<string, KeyObject>();

  constructor(
    private readonly db: Db,
    /** Retired keys stay in the JWKS this long: the longest access-token lifetime. */
    private readonly retiredKeyGraceSeconds: number,
  ) {}

  /** The newest active key, generating the first one if there is none (once, across replicas). */
  async signingKey(): Promise<SigningKey> {
    const existing = await this.activeKey();
    if (existing) return existing;
    // Generate outside the transaction: RSA generation takes a while and needs no lock.
    const candidate = await newKeyRow();
    await this.db.transaction(async tx => {
      await tx.query(`SELECT pg_advisory_xact_lock(hashtext('signing_keys'))`);
      const [row] = await tx.query(`SELECT kid FROM signing_keys WHERE retired_at IS NULL LIMIT 1`);
      if (!row) await insertKey(tx, candidate);
    });
    const active = await this.activeKey();
    if (!active) throw new Error('no active signing key after creating one');
    return active;
  }

  /** Adds a new signing key and retires the others; tokens they signed keep verifying. */
  async rotate(): Promise<string> {
    const candidate = await newKeyRow();
    await this.db.transaction(async tx => {
      await tx.query(`SELECT pg_advisory_xact_lock(hashtext('signing_keys'))`);
      await tx.query(`UPDATE signing_keys SET retired_at = clock_timestamp() WHERE retired_at IS NULL`);
      await insertKey(tx, candidate);
    });
    return candidate.kid;
  }

  /** Public JWKs of the active key and of retired keys still inside their grace period. */
  async publishedJwks(): Promise<Record<string, string>[]> {
    const rows = await this.db.query<KeyRow>(
      `SELECT kid, public_jwk FROM signing_keys
        WHERE retired_at IS NULL OR retired_at > now() - make_interval(secs => $1)
        ORDER BY created_at DESC`,
      [this.retiredKeyGraceSeconds],
    );
    return rows.map(r => r.public_jwk);
  }

  /** Public keys by kid, for verifying tokens this service issued. */
  async verificationKeys(): Promise<Map<string, KeyObject>> {
    const jwks = await this.publishedJwks();
    return new Map(jwks.map(jwk => [jwk.kid, createPublicKey({ key: jwk, format: 'jwk' })]));
  }

  private async activeKey(): Promise<SigningKey | undefined> {
    const [row] = await this.db.query<KeyRow>(
      `SELECT kid, private_key_pem FROM signing_keys WHERE retired_at IS NULL ORDER BY created_at DESC LIMIT 1`,
    );
    if (!row) return undefined;
    let privateKey = this.parsed.get(row.kid);
    if (!privateKey) {
      privateKey = createPrivateKey(row.private_key_pem);
      this.parsed.set(row.kid, privateKey);
    }
    return { kid: row.kid, privateKey };
  }
}

async function insertKey(db: Db, row: KeyRow): Promise<void> {
  await db.query(`INSERT INTO signing_keys (kid, private_key_pem, public_jwk) VALUES ($1, $2, $3)`, [
    row.kid,
    row.private_key_pem,
    JSON.stringify(row.public_jwk),
  ]);
}
