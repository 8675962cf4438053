import { HttpError } from '../platform/http.js';
import type { Db } from '../platform/db.js';
import { hashPassword, verifyAgainstDecoy, verifyPassword } from './passwords.js';

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

export async function signUp(db: Db, email: string, password: string): Promise<User> {
  checkEmail(email);
  checkNewPassword(password, email);
  const passwordHash = await hashPassword(password);
  try {
    const [row] = await db.query<UserRow>(
      `INSERT INTO users (email, password_hash) VALUES ($1, $2) RETURNING id, email, password_hash, created_at`,
      [email, passwordHash],
    );
    return toUser(row);
  } catch (error) {
    // Unique violation on lower(email): the account exists, whatever the case of the letters.
    if ((error as { code?: string }).code === '23505') throw new HttpError(409, 'email_taken', 'an account with this email exists');
    throw error;
  }
}

/** The user whose email and password match, or a 401 that does not say which of the two was wrong. */
export async function authenticate(db: Db, email: string, password: string): Promise<User> {
  const [row] = await db.query<UserRow>(
    `SELECT id, email, password_hash, created_at FROM users WHERE lower(email) = lower($1)`,
    [email],
  );
  const ok = row ? await verifyPassword(password, row.password_hash) : await verifyAgainstDecoy(password);
  if (!row || !ok) throw new HttpError(401, 'invalid_credentials', 'email or password is wrong');
  return toUser(row);
}

export async function findUser(db: Db, id: string): Promise<User | undefined> {
  const [row] = await db.query<UserRow>(`SELECT id, email, password_hash, created_at FROM users WHERE id = $1`, [id]);
  return row ? toUser(row) : undefined;
}
