import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { tempDirSync } from '@paver/test-utils';
import { spawn } from 'node:child_process';
import { parseAllDocuments } from 'yaml';
import { PAVER_BIN } from './fixture';

const entity = (kind: string, name: string, body: string) =>
  `apiVersion: backstage.io/v1alpha1\nkind: ${kind}\nmetadata:\n  name: ${name}\n${body}`;

/**
 * A small organisation: Payments (with an on-call rotation) owns the billing System, the invoices
 * Component and its API; Identity (no rotation) owns ledger, which has its own rotation; checkout
 * depends on invoices and consumes its API.
 */
export const ORGANISATION: Record<string, string> = {
  'groups/payments.yaml': entity(
    'Group',
    'payments',
    `  annotations:
    paver.dev/oncall: payments-primary
spec:
  type: team
  profile: { displayName: Payments Team, email: payments@example.com }
  children: []
`,
  ),
  'groups/identity.yaml': entity(
    'Group',
    'identity',
    `spec:
  type: team
  profile: { displayName: Identity, email: identity@example.com }
  children: []
`,
  ),
  'users/ada.yaml': entity(
    'User',
    'ada',
    `spec:
  profile: { displayName: Ada Lovelace, email: ada@example.com }
  memberOf: [group:default/payments]
`,
  ),
  'users/bo.yaml': entity(
    'User',
    'bo',
    `spec:
  profile: { displayName: Bo Chen, email: bo@example.com }
  memberOf: [payments]
`,
  ),
  'users/cy.yaml': entity(
    'User',
    'cy',
    `spec:
  profile: { displayName: Cy Young, email: cy@example.com }
  memberOf: [group:default/identity]
`,
  ),
  'domains/payments.yaml': entity(
    'Domain',
    'payments',
    'spec:\n  owner: group:default/payments\n',
  ),
  'systems/billing.yaml': entity(
    'System',
    'billing',
    `  title: Billing
spec:
  owner: group:default/payments
  domain: domain:default/payments
`,
  ),
  'components/invoices.yaml': entity(
    'Component',
    'invoices',
    `  description: Issues invoices.
  annotations:
    paver.dev/slo: slo/invoices-availability.yaml
  links:
    # As the catalog serves a Paver service: a dashboard from paver.links.dashboard, and the
    # Runbook link the catalog resolves from paver.dev/runbook against the repository.
    - { url: 'http://localhost:3001/d/paver-service?var-service=invoices', title: Dashboard }
    - { url: 'https://github.com/acme/invoices/blob/main/docs/runbook.md', title: Runbook }
spec:
  type: service
  lifecycle: production
  owner: group:default/payments
  system: system:default/billing
  providesApis: [api:default/invoices-api]
  dependsOn: [component:default/ledger]
`,
  ),
  'components/ledger.yaml': entity(
    'Component',
    'ledger',
    `  annotations:
    paver.dev/oncall: ledger-primary
    paver.dev/runbook: https://github.com/acme/ledger/blob/main/docs/runbook.md
spec:
  type: service
  lifecycle: production
  owner: group:default/identity
  system: billing
`,
  ),
  'components/checkout.yaml': entity(
    'Component',
    'checkout',
    `spec:
  type: service
  lifecycle: experimental
  owner: group:default/payments
  dependsOn: [component:invoices]
  consumesApis: [invoices-api]
`,
  ),
  'apis/invoices-api.yaml': entity(
    'API',
    'invoices-api',
    `spec:
  type: openapi
  lifecycle: production
  owner: group:default/payments
  system: system:default/billing
  definition: 'openapi: 3.0.0'
`,
  ),
};

/** Writes `files` under `<temp>/catalog`; returns the temp dir and the catalog folder. */
export function writeCatalog(files: Record<string, string> = ORGANISATION) {
  const base = tempDirSync('paver-catalog-');
  const dir = path.join(base, 'catalog');
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  }
  return { base, dir };
}

/** Runs the bin without blocking this process's event loop (so an in-process server can answer). */
export function runPaverAsync(
  args: string[],
  cwd: string,
  env: NodeJS.ProcessEnv = {},
) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>(
    (resolve, reject) => {
      const child = spawn(process.execPath, [PAVER_BIN, ...args], {
        cwd,
        env: { ...process.env, FORCE_COLOR: '0', ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', d => (stdout += d));
      child.stderr.on('data', d => (stderr += d));
      child.on('error', reject);
      child.on('close', code => resolve({ code, stdout, stderr }));
    },
  );
}

type Json = Record<string, any>;

/**
 * A stand-in for the Backstage catalog API, speaking its wire shapes: entities carry `relations`
 * the way the catalog computes them (both directions), `GET /api/catalog/entities/by-name/:kind/:ns/:name`
 * answers 404 when absent, and `GET /api/catalog/entities/by-query` takes repeated `filter`
 * params (ORed; `key=value` pairs inside one ANDed), `limit`, `fields`, and pages through
 * `pageInfo.nextCursor`. Requests are recorded; with `token` set, others get 401.
 */
export async function startFakeCatalogApi(
  files: Record<string, string>,
  options: { token?: string; pageSize?: number } = {},
) {
  const entities: Json[] = Object.values(files).flatMap(text =>
    parseAllDocuments(text).map(d => d.toJS()),
  );
  const refOf = (e: Json) =>
    `${e.kind}:${e.metadata.namespace ?? 'default'}/${
      e.metadata.name
    }`.toLowerCase();
  const full = (ref: string, kind: string) => {
    const withKind = ref.includes(':') ? ref : `${kind}:${ref}`;
    return (
      withKind.includes('/') ? withKind : withKind.replace(':', ':default/')
    ).toLowerCase();
  };
  const relations = new Map<string, { type: string; targetRef: string }[]>(
    entities.map(e => [refOf(e), []]),
  );
  const relate = (from: string, type: string, to: string, reverse: string) => {
    relations.get(from)?.push({ type, targetRef: to });
    relations.get(to)?.push({ type: reverse, targetRef: from });
  };
  for (const e of entities) {
    const list = (v: unknown) => (Array.isArray(v) ? v : []) as string[];
    if (e.spec?.owner)
      relate(refOf(e), 'ownedBy', full(e.spec.owner, 'group'), 'ownerOf');
    for (const g of list(e.spec?.memberOf))
      relate(refOf(e), 'memberOf', full(g, 'group'), 'hasMember');
    for (const d of list(e.spec?.dependsOn))
      relate(refOf(e), 'dependsOn', full(d, '?'), 'dependencyOf');
    for (const a of list(e.spec?.consumesApis))
      relate(refOf(e), 'consumesApi', full(a, 'api'), 'apiConsumedBy');
  }
  const served = entities.map(e => ({
    ...e,
    relations: relations.get(refOf(e)),
  }));
  const searchable = (e: Json, key: string): string[] => {
    if (key === 'kind') return [e.kind.toLowerCase()];
    const relation = /^relations\.(.+)$/.exec(key)?.[1];
    if (relation) {
      return e.relations
        .filter((r: Json) => r.type.toLowerCase() === relation)
        .map((r: Json) => r.targetRef);
    }
    // Any other dotted path: the string there, as the catalog matches `spec.service=...`.
    const value: unknown = key
      .split('.')
      .reduce<Json | undefined>((at, part) => at?.[part], e);
    return typeof value === 'string' ? [value.toLowerCase()] : [];
  };
  const matches = (e: Json, filter: string) =>
    filter.split(',').every(pair => {
      const [key, value] = pair.split(/=(.*)/s);
      return searchable(e, key.toLowerCase()).includes(value.toLowerCase());
    });
  const project = (e: Json, fields: string | null) => {
    if (!fields) return e;
    const out: Json = {};
    for (const field of fields.split(',')) {
      const [head, tail] = field.split('.');
      if (tail === undefined) out[head] = e[head];
      else (out[head] ??= {})[tail] = e[head]?.[tail];
    }
    return out;
  };

  const requests: {
    path: string;
    query: URLSearchParams;
    authorization?: string;
  }[] = [];
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    requests.push({
      path: url.pathname,
      query: url.searchParams,
      authorization: req.headers.authorization,
    });
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (
      options.token &&
      req.headers.authorization !== `Bearer ${options.token}`
    ) {
      return send(401, {
        error: { name: 'AuthenticationError', message: 'Missing credentials' },
      });
    }
    const byName =
      /^\/api\/catalog\/entities\/by-name\/([^/]+)\/([^/]+)\/([^/]+)$/.exec(
        url.pathname,
      );
    if (byName) {
      const ref = `${byName[1]}:${byName[2]}/${decodeURIComponent(
        byName[3],
      )}`.toLowerCase();
      const found = served.find(e => refOf(e) === ref);
      return found
        ? send(200, found)
        : send(404, {
            error: {
              name: 'NotFoundError',
              message: `No entity named '${ref}'`,
            },
          });
    }
    if (url.pathname === '/api/catalog/entities/by-query') {
      const cursor = url.searchParams.get('cursor');
      const state = cursor
        ? JSON.parse(Buffer.from(cursor, 'base64url').toString())
        : {
            filters: url.searchParams.getAll('filter'),
            offset: 0,
            limit: Number(url.searchParams.get('limit') ?? 20),
          };
      const limit = Math.min(state.limit, options.pageSize ?? Infinity);
      const all = served.filter(
        e =>
          state.filters.length === 0 ||
          state.filters.some((f: string) => matches(e, f)),
      );
      const page = all.slice(state.offset, state.offset + limit);
      const next =
        state.offset + limit < all.length
          ? Buffer.from(
              JSON.stringify({ ...state, offset: state.offset + limit }),
            ).toString('base64url')
          : undefined;
      return send(200, {
        items: page.map(e => project(e, url.searchParams.get('fields'))),
        totalItems: all.length,
        pageInfo: next ? { nextCursor: next } : {},
      });
    }
    return send(404, {
      error: { name: 'NotFoundError', message: 'Not found' },
    });
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise<void>(resolve => server.close(() => resolve())),
  };
}
