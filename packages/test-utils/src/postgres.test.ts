import { Client } from 'pg';
import { startPostgres } from './postgres';

describe('startPostgres', () => {
  it('starts a cluster that accepts queries and removes it on stop', async () => {
    const pg = await startPostgres();
    const client = new Client({ connectionString: pg.connectionString });
    await client.connect();
    const { rows } = await client.query('select 41 + 1 as answer');
    await client.end();
    expect(rows[0].answer).toBe(42);
    await pg.stop();
    const again = new Client({ connectionString: pg.connectionString });
    await expect(again.connect()).rejects.toThrow();
  });
});
