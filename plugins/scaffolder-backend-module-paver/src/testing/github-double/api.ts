import type { FaultBook } from './faults';
import type { GithubStore, RepoRecord } from './store';
import { bodyProblems } from './validate';
import type {
  BasicErrorShape,
  BranchProtectionBody,
  CreateForUserBody,
  CreateInOrgBody,
  ReplaceTopicsBody,
  TeamRepoPermissionBody,
  TopicShape,
  ValidationErrorShape,
} from './shapes';

export interface ApiReply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

interface Call {
  params: Record<string, string>;
  body: unknown;
  store: GithubStore;
  faults: FaultBook;
}

interface Route {
  method: string;
  /** The path as GitHub's REST description writes it; also the name `calls()` counts by. */
  route: string;
  handle: (call: Call) => ApiReply;
}

const DOCS = 'https://docs.github.com/rest';

export function notFound(): ApiReply {
  const body: BasicErrorShape = {
    message: 'Not Found',
    documentation_url: DOCS,
    status: '404',
  };
  return { status: 404, body };
}

function invalid(
  message: string,
  errors: ValidationErrorShape['errors'],
): ApiReply {
  const body: ValidationErrorShape = {
    message,
    documentation_url: DOCS,
    errors,
  };
  return { status: 422, body };
}

function createRepo(
  call: Call,
  ownerLogin: string,
  body: CreateInOrgBody | CreateForUserBody,
): ApiReply {
  const owner = call.store.account(ownerLogin);
  if (!owner) return notFound();
  if (call.store.find(owner.login, body.name)) {
    return invalid('Repository creation failed.', [
      {
        resource: 'Repository',
        code: 'custom',
        field: 'name',
        message: 'name already exists on this account',
      },
    ]);
  }
  const visibility =
    ('visibility' in body && body.visibility) ||
    (body.private ? 'private' : 'public');
  const git404 = call.faults.takeAll('git-404');
  const record = call.store.create(
    owner,
    { name: body.name, description: body.description ?? null, visibility },
    git404 ? git404.times ?? 1 : 0,
  );
  if (call.faults.take('create-502')) {
    // The repository exists now; only the answer is lost, as when GitHub's gateway times out.
    return { status: 502, body: { message: 'Server Error' } };
  }
  return { status: 201, body: call.store.shape(record) };
}

function withRepo(call: Call, fn: (record: RepoRecord) => ApiReply): ApiReply {
  const record = call.store.find(call.params.owner, call.params.repo);
  return record ? fn(record) : notFound();
}

export const routes: Route[] = [
  {
    method: 'GET',
    route: '/user',
    handle: ({ store }) => ({
      status: 200,
      body: store.user(store.authenticatedLogin, 'User'),
    }),
  },
  {
    method: 'GET',
    route: '/users/{username}',
    handle: ({ store, params }) => {
      const account = store.account(params.username);
      return account ? { status: 200, body: account } : notFound();
    },
  },
  {
    method: 'GET',
    route: '/repos/{owner}/{repo}',
    handle: call =>
      withRepo(call, record => ({
        status: 200,
        body: call.store.shape(record),
      })),
  },
  {
    method: 'POST',
    route: '/orgs/{org}/repos',
    handle: call =>
      call.store.orgs.has(call.params.org)
        ? createRepo(call, call.params.org, call.body as CreateInOrgBody)
        : notFound(),
  },
  {
    method: 'POST',
    route: '/user/repos',
    handle: call =>
      createRepo(
        call,
        call.store.authenticatedLogin,
        call.body as CreateForUserBody,
      ),
  },
  {
    method: 'PUT',
    route: '/repos/{owner}/{repo}/topics',
    handle: call =>
      withRepo(call, record => {
        const { names } = call.body as ReplaceTopicsBody;
        const bad = names.filter(
          n => !/^[a-z0-9][a-z0-9-]{0,49}$/.test(n.toLowerCase()),
        );
        if (bad.length > 0) {
          return invalid('Validation Failed', [
            {
              resource: 'Repository',
              code: 'invalid',
              field: 'topics',
              message: `${bad[0]} is not a valid topic`,
            },
          ]);
        }
        record.topics = [...new Set(names.map(n => n.toLowerCase()))];
        const body: TopicShape = { names: record.topics };
        return { status: 200, body };
      }),
  },
  {
    method: 'PUT',
    route: '/repos/{owner}/{repo}/branches/{branch}/protection',
    handle: call =>
      withRepo(call, record => {
        if (!call.store.branches(record).includes(call.params.branch)) {
          return {
            status: 404,
            body: { message: 'Branch not found', documentation_url: DOCS },
          };
        }
        record.protections.set(
          call.params.branch,
          call.body as BranchProtectionBody,
        );
        const url = `${call.store.shape(record).url}/branches/${
          call.params.branch
        }/protection`;
        return { status: 200, body: { url, ...(call.body as object) } };
      }),
  },
  {
    method: 'PUT',
    route: '/orgs/{org}/teams/{team_slug}/repos/{owner}/{repo}',
    handle: call => {
      const teams = call.store.orgs.get(call.params.org);
      if (!teams?.has(call.params.team_slug)) return notFound();
      return withRepo(call, record => {
        if (record.owner.login !== call.params.org) {
          return invalid('Validation Failed', [
            { code: 'custom', message: 'repository is not owned by the org' },
          ]);
        }
        const { permission = 'push' } = call.body as TeamRepoPermissionBody;
        record.teams.set(call.params.team_slug, permission);
        return { status: 204 };
      });
    },
  },
];

const compiled = routes.map(r => ({
  ...r,
  pattern: new RegExp(`^${r.route.replace(/\{(\w+)\}/g, '(?<$1>[^/]+)')}$`),
}));

/** The route a request hits, as "METHOD /path/{param}", with its decoded parameters. */
export function matchRoute(method: string, pathname: string) {
  for (const r of compiled) {
    const m = r.method === method ? r.pattern.exec(pathname) : null;
    if (m) {
      const params = Object.fromEntries(
        Object.entries(m.groups ?? {}).map(([k, v]) => [
          k,
          decodeURIComponent(v),
        ]),
      );
      return { endpoint: `${r.method} ${r.route}`, route: r, params };
    }
  }
  return undefined;
}

/** Runs a matched route, checking a body against GitHub's schema first. */
export function runRoute(route: Route, call: Call): ApiReply {
  if (route.method !== 'GET') {
    const problems = bodyProblems(route.method, route.route, call.body);
    if (problems.length > 0) {
      return invalid(
        'Invalid request.',
        problems.map(message => ({ code: 'invalid', message })),
      );
    }
  }
  return route.handle(call);
}
