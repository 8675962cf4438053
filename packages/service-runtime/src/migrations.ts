import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Database } from './db.js';

const MIGRATION_NAME = /^(\d{3})_[a-z0-9_]+\.sql$/;

/** A migration file that is misnamed, numbered twice, or changed after it was applied. */
export class MigrationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MigrationError';
  }
}

/**
 * Applies `NNN_name.sql` files from `dir` in order, each once, in one transaction under an
 * advisory lock so replicas starting together do not race. A changed, already-applied file is an
 * error: add a new migration instead.
 */
export async function migrate(db: Database, dir: string): Promise<string[]> {
  const files = readMigrations(dir);
  return db.transaction(async tx => {
    await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [
      `migrate:${db.schema}`,
    ]);
    await tx.query(`CREATE SCHEMA IF NOT EXISTS ${db.schema}`);
    await tx.query(
      `CREATE TABLE IF NOT EXISTS ${db.schema}.schema_migrations (
         name text PRIMARY KEY, checksum text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`,
    );
    const rows = await tx.query<{ name: string; checksum: string }>(
      `SELECT name, checksum FROM ${db.schema}.schema_migrations`,
    );
    const applied = new Map(rows.map(r => [r.name, r.checksum]));
    const newlyApplied: string[] = [];
    for (const file of files) {
      const previous = applied.get(file.name);
      if (previous !== undefined && previous !== file.checksum) {
        throw new MigrationError(
          `migrations/${file.name} was changed after it was applied; add a new migration instead`,
        );
      }
      if (previous !== undefined) continue;
      await tx.query(file.sql);
      await tx.query(
        `INSERT INTO ${db.schema}.schema_migrations (name, checksum) VALUES ($1, $2)`,
        [file.name, file.checksum],
      );
      newlyApplied.push(file.name);
    }
    return newlyApplied;
  });
}

function readMigrations(
  dir: string,
): { name: string; sql: string; checksum: string }[] {
  if (!existsSync(dir)) return [];
  const names = readdirSync(dir)
    .filter(n => n.endsWith('.sql'))
    .sort();
  const seen = new Set<string>();
  return names.map(name => {
    const match = MIGRATION_NAME.exec(name);
    if (!match) {
      throw new MigrationError(
        `migrations/${name}: migration files must be named NNN_name.sql (lower case)`,
      );
    }
    if (seen.has(match[1])) {
      throw new MigrationError(
        `migrations/${name}: another migration already uses number ${match[1]}`,
      );
    }
    seen.add(match[1]);
    const sql = readFileSync(join(dir, name), 'utf8');
    return {
      name,
      sql,
      checksum: createHash('sha256').update(sql).digest('hex'),
    };
  });
}
