import { defineService, HttpError, type ServiceDeps } from '../../index.js';

/** Released by the test: `GET /wait` answers only once `releaseWaiting()` is called. */
let waiting: Array<() => void> = [];
export const releaseWaiting = () => {
  waiting.forEach(release => release());
  waiting = [];
};

export const probeService = defineService({
  name: 'probe-service',
  root: new URL('.', import.meta.url),
  createHandlers: ({ db }: ServiceDeps) => ({
    createItem: async req => {
      const item = req.body as { id: number; name: string };
      await db.query('INSERT INTO items (id, name) VALUES ($1, $2)', [
        item.id,
        item.name,
      ]);
      return { status: 201, body: item };
    },
    getItem: async req => {
      const rows = await db.query<{ id: number; name: string }>(
        'SELECT id, name FROM items WHERE id = $1',
        [Number(req.params.id)],
      );
      if (rows.length === 0)
        throw new HttpError(
          404,
          'item_not_found',
          `item ${req.params.id} does not exist`,
        );
      return {
        status: 200,
        body: rows[0],
        headers: { 'x-trace-id': req.traceId },
      };
    },
    brokenResponse: async () => ({ status: 200, body: { id: 'one' } }),
    teapot: async () => {
      throw new HttpError(418, 'teapot', 'short and stout');
    },
    crash: async () => {
      throw new Error('secret internals');
    },
    slow: async req => {
      await db.query('SELECT pg_sleep($1)', [Number(req.query.get('seconds'))]);
      return { status: 200, body: { slept: true } };
    },
    wait: async () => {
      await new Promise<void>(resolve => waiting.push(resolve));
      return { status: 200, body: { waited: true } };
    },
    backends: async () => {
      const pids = await Promise.all(
        Array.from({ length: 6 }, () =>
          db.query<{ pid: number }>(
            'SELECT pg_backend_pid() AS pid, pg_sleep(0.2)',
          ),
        ),
      );
      return {
        status: 200,
        body: { pids: [...new Set(pids.map(rows => rows[0].pid))] },
      };
    },
    keyed: async req => ({
      status: 200,
      body: { key: req.headers['request-key'] },
    }),
    webhook: async req => ({
      status: 200,
      body: { bytes: req.rawBody.length },
    }),
  }),
});
