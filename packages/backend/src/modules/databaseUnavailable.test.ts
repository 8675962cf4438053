import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { ForwardedError, InputError } from '@backstage/errors';
import {
  databaseUnavailableReason,
  readDatabaseEndpoints,
  RETRY_AFTER_SECONDS,
} from './databaseUnavailable';
import { databaseUnavailableModule } from './databaseUnavailableModule';

const DB_PORT = 45432;
const endpoints = { ports: new Set([DB_PORT]) };

/** The shapes node-postgres and knex produced while the reliability suite stopped PostgreSQL. */
function pgError(code: string, message: string): Error {
  // node-postgres' DatabaseError, with knex's "<sql> - " prefix on the message.
  return Object.assign(new Error(message), {
    name: 'error',
    code,
    severity: 'FATAL',
  });
}
function refused(port: number): Error {
  return Object.assign(new Error(`connect ECONNREFUSED 127.0.0.1:${port}`), {
    code: 'ECONNREFUSED',
    syscall: 'connect',
    address: '127.0.0.1',
    port,
  });
}

describe('databaseUnavailableReason', () => {
  it.each([
    [
      'a refused connection to the database port',
      refused(DB_PORT),
      'ECONNREFUSED',
    ],
    [
      '57P01 admin_shutdown (pg_ctl stop -m fast)',
      pgError(
        '57P01',
        'BEGIN; - terminating connection due to administrator command',
      ),
      'PostgreSQL error 57P01',
    ],
    [
      '57P03 cannot_connect_now (shutting down, starting up)',
      pgError('57P03', 'the database system is shutting down'),
      'PostgreSQL error 57P03',
    ],
    [
      '08006 connection_failure',
      pgError('08006', 'connection failure'),
      'PostgreSQL error 08006',
    ],
    [
      '53300 too_many_connections',
      pgError('53300', 'sorry, too many clients already'),
      'PostgreSQL error 53300',
    ],
    [
      'a connection that died mid-query',
      new Error(
        'select 1 from "final_entities" - Connection terminated unexpectedly',
      ),
      'Connection terminated',
    ],
    [
      'a client already broken',
      new Error(
        'ROLLBACK - Client has encountered a connection error and is not queryable',
      ),
      'Client has encountered a connection error and is not queryable',
    ],
    [
      'a knex pool timeout',
      Object.assign(
        new Error(
          'Knex: Timeout acquiring a connection. The pool is probably full.',
        ),
        { name: 'KnexTimeoutError' },
      ),
      'timed out acquiring a connection',
    ],
    [
      'a database error wrapped as a cause',
      new ForwardedError('Failed to read the task', refused(DB_PORT)),
      'ECONNREFUSED',
    ],
  ])('recognises %s', (_label, error, reason) => {
    expect(databaseUnavailableReason(error, endpoints)).toBe(reason);
  });

  it.each([
    ['a refused connection to another service', refused(7007)],
    [
      'a socket error that names no port',
      Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }),
    ],
    [
      'a query error (42601 syntax_error)',
      pgError('42601', 'syntax error at or near "selec"'),
    ],
    [
      'a unique violation (23505)',
      pgError('23505', 'duplicate key value violates unique constraint'),
    ],
    ['bad input', new InputError('name is required')],
    ['a thrown string', 'boom'],
  ])('leaves %s alone', (_label, error) => {
    expect(databaseUnavailableReason(error, endpoints)).toBeUndefined();
  });
});

describe('readDatabaseEndpoints', () => {
  it('reads the port of an object connection, a connection string and a plugin override', () => {
    const config = new ConfigReader({
      backend: {
        database: {
          client: 'pg',
          connection: { host: 'db', port: 6543, user: 'u', password: 'p' },
          plugin: {
            catalog: { connection: 'postgres://u:p@catalog-db:7654/catalog' },
            auth: { client: 'better-sqlite3', connection: ':memory:' },
          },
        },
      },
    });
    expect([...readDatabaseEndpoints(config).ports].sort()).toEqual([
      6543, 7654,
    ]);
  });

  it('defaults to 5432 and knows no port for SQLite or a unix socket', () => {
    const pg = (connection: { host: string }) =>
      new ConfigReader({ backend: { database: { client: 'pg', connection } } });
    expect([...readDatabaseEndpoints(pg({ host: 'db' })).ports]).toEqual([
      5432,
    ]);
    expect([
      ...readDatabaseEndpoints(pg({ host: '/var/run/postgresql' })).ports,
    ]).toEqual([]);
    const sqlite = new ConfigReader({
      backend: {
        database: { client: 'better-sqlite3', connection: ':memory:' },
      },
    });
    expect([...readDatabaseEndpoints(sqlite).ports]).toEqual([]);
  });
});

/** A stand-in plugin whose routes fail the way the catalog's did with PostgreSQL stopped. */
const failingPlugin = createBackendPlugin({
  pluginId: 'catalog',
  register(reg) {
    reg.registerInit({
      deps: { http: coreServices.httpRouter },
      async init({ http }) {
        http.addAuthPolicy({ path: '/', allow: 'unauthenticated' });
        http.use((req, res, next) => {
          if (req.path === '/db-down') next(refused(DB_PORT));
          else if (req.path === '/db-killed')
            next(
              pgError(
                '57P01',
                'select * from "final_entities" - terminating connection due to administrator command',
              ),
            );
          else if (req.path === '/other-down') next(refused(7007));
          else if (req.path === '/bad-input')
            next(new InputError('filter is malformed'));
          else res.json({ ok: true });
        });
      },
    });
  },
});

describe('databaseUnavailableModule', () => {
  async function start() {
    const { server } = await startTestBackend({
      features: [
        failingPlugin,
        databaseUnavailableModule('catalog'),
        mockServices.rootConfig.factory({
          data: {
            backend: {
              database: {
                client: 'pg',
                connection: { host: '127.0.0.1', port: DB_PORT },
              },
            },
          },
        }),
      ],
    });
    return (p: string) =>
      fetch(`http://localhost:${server.port()}/api/catalog${p}`);
  }

  it('answers 503 ServiceUnavailableError naming the database, with Retry-After, instead of the driver error', async () => {
    const get = await start();
    for (const [route, reason] of [
      ['/db-down', 'ECONNREFUSED'],
      ['/db-killed', 'PostgreSQL error 57P01'],
    ]) {
      const res = await get(route);
      expect(res.status, route).toBe(503);
      expect(res.headers.get('retry-after')).toBe(String(RETRY_AFTER_SECONDS));
      const text = await res.text();
      const body = JSON.parse(text);
      expect(body.error.name).toBe('ServiceUnavailableError');
      expect(body.error.message).toBe(
        `The catalog database is unavailable (${reason}); try again in a few seconds`,
      );
      // Neither the SQL nor the database address reaches the client.
      expect(text).not.toMatch(/final_entities|127\.0\.0\.1/);
    }
  });

  it('leaves every other error and every successful route as Backstage answers them', async () => {
    const get = await start();
    expect((await get('/other-down')).status).toBe(500);
    expect((await get('/bad-input')).status).toBe(400);
    const ok = await get('/fine');
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ ok: true });
  });
});
