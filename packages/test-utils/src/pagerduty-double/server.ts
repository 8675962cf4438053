import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { PagerDutyAccount } from './model';
import { onCallEntries, onCallShape, type OnCallsQuery } from './oncalls';
import { Shapes, type ErrorShape } from './shapes';

/** A fault the double injects into the next matching request(s). */
export type PagerDutyFault =
  /** 429 with PagerDuty's "Rate Limit Exceeded" (code 2020), as the REST API answers it. */
  | { kind: 'rate-limit'; times?: number }
  /** A plain 5xx. */
  | { kind: 'server-error'; status: 500 | 502 | 503; times?: number };

/** A request the double answered, with the route it matched (`GET /oncalls`). */
export interface RecordedRequest {
  route: string;
  url: string;
  status: number;
  at: number;
}

/** A running PagerDuty double. */
export interface PagerDutyDouble {
  /** The REST API's base URL (the `https://api.pagerduty.com` of production). */
  url: string;
  /** The token it accepts (`Authorization: Token token=<token>`). */
  token: string;
  account: PagerDutyAccount;
  requests(): RecordedRequest[];
  /** How many requests matched `route`, e.g. `calls('GET /oncalls')`. */
  calls(route: string): number;
  inject(fault: PagerDutyFault): void;
  close(): Promise<void>;
}

const ROUTES: { route: string; pattern: RegExp }[] = [
  { route: '/oncalls', pattern: /^\/oncalls$/ },
  {
    route: '/escalation_policies/{id}',
    pattern: /^\/escalation_policies\/([A-Z0-9]+)$/,
  },
];

/**
 * PagerDuty's REST API v2 for the on-call reads Paver makes, in process: `GET /oncalls`
 * (`schedule_ids[]`, `escalation_policy_ids[]`, `user_ids[]`, `include[]=users`, `since`,
 * `until`, `earliest`, `limit`, `offset`, `total`) and `GET /escalation_policies/{id}`, with
 * PagerDuty's token auth, Accept header, error bodies and offset pagination. Requests are
 * recorded and counted by route; faults (429, 5xx) are injected on demand.
 */
export async function startPagerDutyDouble(
  account: PagerDutyAccount,
): Promise<PagerDutyDouble> {
  const token = 'pd-double-token';
  const recorded: RecordedRequest[] = [];
  const faults: (PagerDutyFault & { remaining: number })[] = [];
  // Listening first: answers carry `self` links, which need the URL.
  const server = http.createServer();
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const shapes = new Shapes(account, url);

  server.on(
    'request',
    (req: http.IncomingMessage, res: http.ServerResponse) => {
      const asked = new URL(req.url ?? '/', url);
      const match = ROUTES.map(r => ({
        ...r,
        m: r.pattern.exec(asked.pathname),
      }))
        .filter(r => r.m)
        .at(0);
      const route = match ? `${req.method} ${match.route}` : `${req.method} ?`;
      const send = (status: number, body: unknown) => {
        recorded.push({ route, url: req.url ?? '', status, at: Date.now() });
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      const fail = (
        status: number,
        message: string,
        code: number,
        errors?: string[],
      ) =>
        send(status, {
          error: { message, code, ...(errors ? { errors } : {}) },
        } satisfies ErrorShape);

      if (req.headers.authorization !== `Token token=${token}`) {
        fail(401, 'Authentication failed', 2006);
        return;
      }
      const fault = faults.find(f => f.remaining > 0);
      if (fault) {
        fault.remaining -= 1;
        if (fault.kind === 'rate-limit') fail(429, 'Rate Limit Exceeded', 2020);
        else fail(fault.status, 'Internal Server Error', 2000);
        return;
      }
      if (req.method !== 'GET' || !match) {
        fail(404, 'Not Found', 2100);
        return;
      }
      if (match.route === '/oncalls') {
        const query = parseOnCallsQuery(asked.searchParams);
        if ('problem' in query) {
          fail(400, 'Invalid Input Provided', 2001, [query.problem]);
          return;
        }
        const entries = onCallEntries(account, query);
        const limit = Math.min(
          Number(asked.searchParams.get('limit') ?? 25),
          100,
        );
        const offset = Number(asked.searchParams.get('offset') ?? 0);
        const page = entries.slice(offset, offset + limit);
        send(200, {
          oncalls: page.map(e =>
            onCallShape(account, shapes, e, query.includeUsers),
          ),
          limit,
          offset,
          more: offset + limit < entries.length,
          total:
            asked.searchParams.get('total') === 'true' ? entries.length : null,
        });
        return;
      }
      const policy = account.escalationPolicies.find(p => p.id === match.m![1]);
      if (!policy) fail(404, 'Not Found', 2100);
      else send(200, shapes.escalationPolicy(policy));
    },
  );
  return {
    url,
    token,
    account,
    requests: () => [...recorded],
    calls: route => recorded.filter(r => r.route === route).length,
    inject: fault => faults.push({ ...fault, remaining: fault.times ?? 1 }),
    close: () => new Promise(resolve => server.close(() => resolve())),
  };
}

/** PagerDuty's rules for the window: both or neither given; at most 90 days; since before until. */
function parseOnCallsQuery(
  params: URLSearchParams,
): OnCallsQuery | { problem: string } {
  const since = params.get('since');
  const until = params.get('until');
  const now = new Date();
  const from = since ? new Date(since) : now;
  const to = until ? new Date(until) : now;
  if (Number.isNaN(from.getTime()) || Number.isNaN(to.getTime())) {
    return { problem: 'Since and until must be ISO 8601 dates.' };
  }
  if (to < from) return { problem: 'Until must be after since.' };
  if (to.getTime() - from.getTime() > 90 * 24 * 3600 * 1000) {
    return { problem: 'The requested time span is too long.' };
  }
  return {
    scheduleIds: params.getAll('schedule_ids[]'),
    policyIds: params.getAll('escalation_policy_ids[]'),
    userIds: params.getAll('user_ids[]'),
    includeUsers: params.getAll('include[]').includes('users'),
    since: from,
    until: to,
    earliest: params.get('earliest') === 'true',
  };
}
