import { startPostgres, type ThrowawayPostgres } from '@paver/test-utils';
import {
  apiGet,
  IN_MEMORY_SQLITE,
  spawnBackend,
  waitForReady,
  type BackendProcess,
} from './backendProcess';
import { organisationRefs } from './organisation';

interface EntityList {
  items: Array<{
    kind: string;
    metadata: { name: string; namespace?: string };
  }>;
}

async function catalogRefs(backend: BackendProcess): Promise<string[]> {
  const query =
    '/api/catalog/entities/by-query?filter=kind=group,kind=user,kind=domain,kind=system&limit=500';
  const { items } = await apiGet<EntityList>(backend, query);
  return items
    .map(
      e =>
        `${e.kind.toLowerCase()}:${e.metadata.namespace ?? 'default'}/${
          e.metadata.name
        }`,
    )
    .sort();
}

/** The catalog ingests catalog/all.yaml asynchronously; wait until every entity is there. */
async function waitForOrganisation(
  backend: BackendProcess,
  expected: string[],
) {
  let seen: string[] = [];
  for (let attempt = 0; attempt < 120; attempt++) {
    seen = await catalogRefs(backend);
    const listed = new Set(seen);
    if (expected.every(ref => listed.has(ref))) return seen;
    await new Promise(r => setTimeout(r, 500));
  }
  throw new Error(
    `catalog never listed ${expected
      .filter(r => !seen.includes(r))
      .join(', ')}`,
  );
}

describe('the real backend', () => {
  const expected = organisationRefs();

  it('knows the organisation groups, users, domains and systems from catalog/', () => {
    for (const kind of ['group', 'user', 'domain', 'system']) {
      expect(
        expected.filter(ref => ref.startsWith(`${kind}:`)).length,
      ).toBeGreaterThan(0);
    }
  });

  it('boots on SQLite and serves the organisation from the catalog API', async () => {
    const backend = await spawnBackend({
      configFiles: ['app-config.yaml'],
      override: IN_MEMORY_SQLITE,
    });
    try {
      await waitForReady(backend);
      const seen = await waitForOrganisation(backend, expected);
      expect(seen).toEqual(expect.arrayContaining(expected));
    } finally {
      await backend.stop();
    }
  }, 240_000);

  describe('on PostgreSQL', () => {
    let pg: ThrowawayPostgres;
    beforeAll(async () => {
      pg = await startPostgres();
    });
    afterAll(async () => {
      await pg?.stop();
    });

    it('boots on a throwaway PostgreSQL cluster and serves the organisation', async () => {
      const backend = await spawnBackend({
        configFiles: ['app-config.yaml'],
        override: {
          backend: {
            database: {
              client: 'pg',
              connection: {
                host: pg.host,
                port: pg.port,
                user: pg.user,
                password: pg.password,
              },
            },
          },
        },
      });
      try {
        await waitForReady(backend);
        const seen = await waitForOrganisation(backend, expected);
        expect(seen).toEqual(expect.arrayContaining(expected));
        // Each plugin got its own database in this cluster: the catalog really is on PostgreSQL.
        const { Client } = await import('pg');
        const client = new Client({ connectionString: pg.connectionString });
        await client.connect();
        const { rows } = await client.query(
          "select datname from pg_database where datname like 'backstage_plugin_%' order by 1",
        );
        await client.end();
        expect(rows.map(r => r.datname)).toEqual(
          expect.arrayContaining([
            'backstage_plugin_catalog',
            'backstage_plugin_scaffolder',
          ]),
        );
      } finally {
        await backend.stop();
      }
    }, 240_000);
  });
});
