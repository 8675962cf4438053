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

  it('stops the server for an outage, ending open sessions, and starts it again with the same data', async () => {
    const pg = await startPostgres();
    try {
      const before = new Client({ connectionString: pg.connectionString });
      await before.connect();
      await before.query(
        'create table kept (v int); insert into kept values (7)',
      );
      const ended = new Promise<Error>(resolve => before.on('error', resolve));
      await pg.stopServer();
      expect((await ended).message).toMatch(
        /terminating connection due to administrator command/,
      );
      await expect(
        new Client({ connectionString: pg.connectionString }).connect(),
      ).rejects.toThrow(/ECONNREFUSED/);

      await pg.startServer();
      const after = new Client({ connectionString: pg.connectionString });
      await after.connect();
      const { rows } = await after.query('select v from kept');
      await after.end();
      expect(rows).toEqual([{ v: 7 }]);
    } finally {
      await pg.stop();
    }
  });
});
