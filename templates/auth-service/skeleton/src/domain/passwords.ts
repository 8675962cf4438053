import { randomBytes, scrypt as scryptCallback, timingSafeEqual } from 'node:crypto';
import { Counter, HttpError, type Registry } from '@paver/service-runtime';
import type { BoundedWorkQueue } from './work-queue.js';

export interface ScryptParams {
  N: number;
  r: number;
  p: number;
}

/** OWASP's scrypt recommendation (Password Storage Cheat Sheet): 128 MiB and a few hundred milliseconds per hash. */
export const CURRENT_PARAMS: Readonly<ScryptParams> = { N: 2 ** 17, r: 8, p: 1 };
const KEY_LENGTH = 64;
const SALT_BYTES = 16;

// scrypt needs 128·N·r·p bytes (plus a few KiB). maxmem also caps what a stored hash may ask
// for, so a corrupted or planted `scrypt$2^30$…` row is an error instead of a 128 GiB allocation.
const MAXMEM_HEADROOM = 16 * 1024 * 1024;
const MAXMEM = 128 * CURRENT_PARAMS.N * CURRENT_PARAMS.r * CURRENT_PARAMS.p + MAXMEM_HEADROOM;

function scrypt(password: string, salt: Buffer, keyLength: number, params: ScryptParams): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scryptCallback(password.normalize('NFC'), salt, keyLength, { ...params, maxmem: MAXMEM }, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
}

/** `scrypt$N$r$p$<salt>$<hash>` (base64url): the parameters travel with the hash, so they can be raised later. */
export async function hashPassword(password: string, params: ScryptParams = CURRENT_PARAMS): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const hash = await scrypt(password, salt, KEY_LENGTH, params);
  return ['scrypt', params.N, params.r, params.p, salt.toString('base64url'), hash.toString('base64url')].join('$');
}

interface StoredHash {
  params: ScryptParams;
  salt: Buffer;
  hash: Buffer;
}

/** A malformed stored value is an error, not a silent "no". */
function parseStoredHash(stored: string): StoredHash {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') throw new Error('stored password hash is not in scrypt$N$r$p$salt$hash form');
  const [N, r, p] = parts.slice(1, 4).map(Number);
  if (![N, r, p].every(Number.isSafeInteger) || N < 2 || (N & (N - 1)) !== 0 || r < 1 || p < 1) {
    throw new Error(`stored password hash has invalid scrypt parameters N=${parts[1]} r=${parts[2]} p=${parts[3]}`);
  }
  if (128 * N * r * p > MAXMEM - MAXMEM_HEADROOM) {
    throw new Error(`stored password hash asks for more scrypt memory (N=${N} r=${r} p=${p}) than this service allows`);
  }
  return { params: { N, r, p }, salt: Buffer.from(parts[4], 'base64url'), hash: Buffer.from(parts[5], 'base64url') };
}

/** Compares in constant time, with the parameters the hash was made with. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const { params, salt, hash } = parseStoredHash(stored);
  const actual = await scrypt(password, salt, hash.length, params);
  return timingSafeEqual(actual, hash);
}

/** True when the hash was made with weaker parameters than today's: rehash it at the next successful login. */
export function needsRehash(stored: string): boolean {
  const { params, hash } = parseStoredHash(stored);
  const current = CURRENT_PARAMS;
  return params.N < current.N || params.r < current.r || params.p < current.p || hash.length < KEY_LENGTH;
}

type Operation = 'hash' | 'verify';

/** The scrypt operations the service runs, each through one bounded queue (see work-queue.ts). */
export class PasswordHasher {
  private decoy: Promise<string> | undefined;
  private readonly started: Counter<'operation'>;
  private readonly rejected: Counter<'operation'>;

  /** `registry`: the service's (deps.metrics.registry), so the counters appear on /metrics. */
  constructor(
    private readonly queue: BoundedWorkQueue,
    registry: Registry,
  ) {
    const registers = [registry];
    this.started = new Counter({
      name: 'password_hash_operations_total',
      help: 'scrypt computations started, by operation.',
      labelNames: ['operation'],
      registers,
    });
    this.rejected = new Counter({
      name: 'password_hash_rejected_total',
      help: 'scrypt computations refused because the queue was full.',
      labelNames: ['operation'],
      registers,
    });
  }

  hash(password: string): Promise<string> {
    return this.run('hash', () => hashPassword(password));
  }

  verify(password: string, stored: string): Promise<boolean> {
    return this.run('verify', () => verifyPassword(password, stored));
  }

  /**
   * Spends the same scrypt work as a real check, for logins with an unknown email, so response
   * time does not reveal which emails have accounts.
   */
  async verifyAgainstDecoy(password: string): Promise<false> {
    // Made once, outside the queue: a refused attempt must not leave a rejected promise cached.
    this.decoy ??= hashPassword(randomBytes(16).toString('hex'));
    await this.verify(password, await this.decoy);
    return false;
  }

  private async run<T>(operation: Operation, job: () => Promise<T>): Promise<T> {
    try {
      return await this.queue.run(() => {
        this.started.inc({ operation });
        return job();
      });
    } catch (error) {
      if (error instanceof HttpError && error.code === 'busy') this.rejected.inc({ operation });
      throw error;
    }
  }
}
