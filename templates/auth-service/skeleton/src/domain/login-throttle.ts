import { createHash } from 'node:crypto';
import { HttpError, type Db } from '@paver/service-runtime';
import { secondsUntil, type Clock } from './clock.js';

export interface LoginLimits {
  maxFailuresPerEmail: number;
  maxFailuresPerIp: number;
  windowSeconds: number;
}

interface Subject {
  scope: 'email' | 'ip';
  /** SHA-256 of the email (lower-cased) or address: the table holds no personal data in clear. */
  digest: string;
  limit: number;
}

/** A login attempt counted against its email and address until it succeeds. */
export interface LoginAttempt {
  readonly emailDigest: string;
  readonly ids: string[];
}

const digestOf = (value: string) => createHash('sha256').update(value).digest('hex');

/**
 * Failed-login limits per email and per client address, counted in PostgreSQL so every replica
 * sees the same counts. An attempt is recorded before the password is checked and deleted when it
 * succeeds: a burst of parallel guesses is counted while still in flight, not after.
 */
export class LoginThrottle {
  constructor(
    private readonly db: Db,
    private readonly limits: LoginLimits,
    private readonly clock: Clock,
  ) {}

  /**
   * Runs `check` (the password check) as a counted attempt: a 429 before it when over a limit, the
   * failure kept when it throws a 401, forgotten when it succeeds or fails for another reason
   * (a 503 `busy` was no guess, and must not lock the user out).
   */
  async guard<T>(email: string, ip: string | undefined, check: () => Promise<T>): Promise<T> {
    const attempt = await this.reserve(email, ip);
    let result: T;
    try {
      result = await check();
    } catch (error) {
      if (!(error instanceof HttpError && error.status === 401)) await this.release(attempt);
      throw error;
    }
    await this.succeeded(attempt);
    return result;
  }

  /** Records an attempt, or throws a 429 with Retry-After when the email or address is over its limit. */
  async reserve(email: string, ip: string | undefined): Promise<LoginAttempt> {
    const subjects = this.subjects(email, ip);
    const now = this.clock();
    const windowStart = new Date(now.getTime() - this.limits.windowSeconds * 1000);
    const ids = await this.db.transaction(async tx => {
      // Serialise attempts on the same email or address. Emails are always locked before
      // addresses, so two attempts never wait for each other's locks.
      for (const s of subjects) await tx.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`login:${s.scope}:${s.digest}`]);
      const blocked = await this.latestFreeSlot(tx, subjects, windowStart);
      if (blocked) throw tooManyAttempts(blocked.scope, secondsUntil(blocked.freeAt, now));
      const inserted: string[] = [];
      for (const s of subjects) {
        const [row] = await tx.query<{ id: string }>(
          `INSERT INTO login_attempts (scope, subject, attempted_at) VALUES ($1, $2, $3) RETURNING id`,
          [s.scope, s.digest, now],
        );
        inserted.push(row.id);
      }
      return inserted;
    });
    await this.db.query(`DELETE FROM login_attempts WHERE attempted_at <= $1`, [windowStart]);
    return { emailDigest: subjects[0].digest, ids };
  }

  /** A successful login clears the email's failures and takes this attempt off the address's count. */
  async succeeded(attempt: LoginAttempt): Promise<void> {
    await this.db.query(`DELETE FROM login_attempts WHERE (scope = 'email' AND subject = $1) OR id = ANY($2::bigint[])`, [
      attempt.emailDigest,
      attempt.ids,
    ]);
  }

  /** Takes the attempt off both counts, as if it had not been made. */
  async release(attempt: LoginAttempt): Promise<void> {
    await this.db.query(`DELETE FROM login_attempts WHERE id = ANY($1::bigint[])`, [attempt.ids]);
  }

  /** The email's subject first, then the address's when it is known. */
  private subjects(email: string, ip: string | undefined): Subject[] {
    const subjects: Subject[] = [{ scope: 'email', digest: digestOf(email.toLowerCase()), limit: this.limits.maxFailuresPerEmail }];
    if (ip) subjects.push({ scope: 'ip', digest: digestOf(ip), limit: this.limits.maxFailuresPerIp });
    return subjects;
  }

  /** The subject at its limit that stays there longest, so one Retry-After covers both limits. */
  private async latestFreeSlot(db: Db, subjects: Subject[], windowStart: Date) {
    let blocked: { scope: Subject['scope']; freeAt: Date } | undefined;
    for (const subject of subjects) {
      const freeAt = await this.slotFreesAt(db, subject, windowStart);
      if (freeAt && (!blocked || freeAt > blocked.freeAt)) blocked = { scope: subject.scope, freeAt };
    }
    return blocked;
  }

  /** When the subject is at its limit: the moment the oldest attempt that keeps it there leaves the window. */
  private async slotFreesAt(db: Db, subject: Subject, windowStart: Date): Promise<Date | undefined> {
    const [row] = await db.query<{ attempted_at: Date }>(
      `SELECT attempted_at FROM login_attempts
        WHERE scope = $1 AND subject = $2 AND attempted_at > $3
        ORDER BY attempted_at DESC OFFSET $4 LIMIT 1`,
      [subject.scope, subject.digest, windowStart, subject.limit - 1],
    );
    return row ? new Date(row.attempted_at.getTime() + this.limits.windowSeconds * 1000) : undefined;
  }
}

function tooManyAttempts(scope: Subject['scope'], retryAfterSeconds: number): HttpError {
  const whose = scope === 'email' ? 'for this email' : 'from this address';
  return new HttpError(429, 'too_many_attempts', `too many failed logins ${whose}; retry in ${retryAfterSeconds} seconds`, {
    'retry-after': String(retryAfterSeconds),
  });
}
