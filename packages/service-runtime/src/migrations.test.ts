import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { createDatabase, type Database } from './db.js';
import { migrate, MigrationError } from './migrations.js';
import { startPostgres, type ThrowawayPostgres } from './testing/index.js';

describe('migrations', () => {
  let postgres: ThrowawayPostgres;
  let dir: string;
  const open: Database[] = [];
  const database = () => {
    const db = createDatabase({
      connectionString: postgres.connectionString,
      schema: schemaName,
    });
    open.push(db);
    return db;
  };
  let schemaName: string;

  beforeAll(async () => {
    postgres = await startPostgres();
  });
  afterAll(async () => {
    await postgres?.stop();
  });
  beforeEach(async () => {
    schemaName = `m_${randomBytes(4).toString('hex')}`;
    dir = await mkdtemp(join(tmpdir(), 'paver-migrations-'));
    await writeFile(
      join(dir, '001_items.sql'),
      'CREATE TABLE items (id int PRIMARY KEY);',
    );
    await writeFile(
      join(dir, '002_names.sql'),
      'ALTER TABLE items ADD COLUMN name text;',
    );
  });
  afterEach(async () => {
    await Promise.all(open.splice(0).map(db => db.close()));
    await rm(dir, { recursive: true, force: true });
  });

  it('applies each file once, in order, even when replicas start together', async () => {
    const results = await Promise.all([
      migrate(database(), dir),
      migrate(database(), dir),
      migrate(database(), dir),
    ]);
    expect(results.flat().sort()).toEqual(['001_items.sql', '002_names.sql']);
    expect(await migrate(database(), dir)).toEqual([]);
  });

  it('refuses a file changed after it was applied', async () => {
    await migrate(database(), dir);
    await writeFile(
      join(dir, '001_items.sql'),
      'CREATE TABLE items (id bigint PRIMARY KEY);',
    );
    await expect(migrate(database(), dir)).rejects.toThrow(MigrationError);
    await expect(migrate(database(), dir)).rejects.toThrow(
      /001_items.sql was changed after it was applied/,
    );
  });

  it('refuses misnamed and duplicate-numbered files before touching the database', async () => {
    await writeFile(join(dir, '002_other.sql'), 'SELECT 1;');
    await expect(migrate(database(), dir)).rejects.toThrow(
      /already uses number 002/,
    );
    await rm(join(dir, '002_other.sql'));
    await writeFile(join(dir, 'Init.sql'), 'SELECT 1;');
    await expect(migrate(database(), dir)).rejects.toThrow(
      /must be named NNN_name.sql/,
    );
  });
});
