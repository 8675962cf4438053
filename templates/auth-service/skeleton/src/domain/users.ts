import { HttpError, type Db } from '@paver/service-runtime';
import { events } from '../event-contract.js';
import { needsRehash, type PasswordHasher } from './passwords.js';

export interface User {
  id: string;
  email: string;
  createdAt: string;
}

const EMAIL = /^[^\s@]{1,64}@[^\s@]+\.[^\s@]+$/;
export const PASSWORD_MIN = 10;
export const PASSWORD_MAX = 256;

export function checkEmail(email: string): string {
  if (email.length > 254 || !EMAIL.test(email)) throw new HttpError(400, 'invalid_email', '"email" must be an email address');
  return email;
}

export function checkNewPassword(password: string, email: string): string {
  if (password.length < PASSWORD_MIN || password.length > PASSWORD_MAX) {
    throw new HttpError(400, 'weak_password', `"password" must be ${PASSWORD_MIN} to ${PASSWORD_MAX} characters long`);
  }
  if (password.toLowerCase().includes(email.split('@')[0].toLowerCase())) {
    throw new HttpError(400, 'weak_password', '"password" must not contain the email name');
  }
  return password;
}

interface UserRow {
  id: string;
  email: string;
  password_hash: string;
  created_at: Date;
}

const toUser = (row: UserRow): User => ({ id: row.id, email: row.email, createdAt: row.created_at.toISOString() });

/** Sign-up's one answer, whether or not the email already had an account. */
export const SIGN_UP_ACCEPTED = {
  status: 'accepted',
  message: 'if this email had no account, one now exists with this password; log in to continue',
} as const;

/**
 * Creates the account unless the email (in any case) has one; the existing account is left as it
 * is. The caller learns nothing either way (no account enumeration): the same answer, and the
 * same scrypt work before it.
 */
export async function signUp(db: Db, passwords: PasswordHasher, email: string, password: string): Promise<void> {
  checkEmail(email);
  checkNewPassword(password, email);
  const passwordHash = await passwords.hash(password);
  await db.transaction(async tx => {
    const [created] = await tx.query<Pick<UserRow, 'id' | 'created_at'>>(
      `INSERT INTO users (email, password_hash) VALUES ($1, $2) ON CONFLICT ((lower(email))) DO NOTHING RETURNING id, created_at`,
      [email, passwordHash],
    );
    // Only a new account is announced, in the transaction that created it.
    if (created) {
      await events.enqueue(tx, 'user.registered', 1, { userId: created.id, email, registeredAt: created.created_at.toISOString() });
    }
  });
}

/** The user whose email and password match, or a 401 that does not say which of the two was wrong. */
export async function authenticate(db: Db, passwords: PasswordHasher, email: string, password: string): Promise<User> {
  const [row] = await db.query<UserRow>(
    `SELECT id, email, password_hash, created_at FROM users WHERE lower(email) = lower($1)`,
    [email],
  );
  const ok = row ? await passwords.verify(password, row.password_hash) : await passwords.verifyAgainstDecoy(password);
  if (!row || !ok) throw new HttpError(401, 'invalid_credentials', 'email or password is wrong');
  await upgradeStaleHash(db, passwords, row, password);
  return toUser(row);
}

/**
 * Rehashes with today's parameters while the password is at hand. Only a row still holding the
 * hash just checked is updated (a password change in between wins). When the hashing queue is
 * full the upgrade waits for the next login rather than fail this one.
 */
async function upgradeStaleHash(db: Db, passwords: PasswordHasher, row: UserRow, password: string): Promise<void> {
  if (!needsRehash(row.password_hash)) return;
  let upgraded: string;
  try {
    upgraded = await passwords.hash(password);
  } catch (error) {
    if (error instanceof HttpError && error.code === 'busy') return;
    throw error;
  }
  await db.query(`UPDATE users SET password_hash = $1 WHERE id = $2 AND password_hash = $3`, [upgraded, row.id, row.password_hash]);
}

export async function findUser(db: Db, id: string): Promise<User | undefined> {
  const [row] = await db.query<UserRow>(`SELECT id, email, password_hash, created_at FROM users WHERE id = $1`, [id]);
  return row ? toUser(row) : undefined;
}
