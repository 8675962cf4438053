import path from 'node:path';
import { pullRoutes } from './pulls';
import type { ApiReply, Call, Route } from './replies';
import {
  errorReply,
  invalid,
  notFound,
  paginate,
  repoRoute,
  withRepo,
} from './replies';
import type { RepoRecord, TreeEntry } from './store';
import { bodyProblems } from './validate';
import type {
  BranchProtectionBody,
  ContentDirectoryShape,
  ContentFileShape,
  CreateForUserBody,
  CreateInOrgBody,
  ListedRepositoryShape,
  MinimalRepositoryShape,
  ReplaceTopicsBody,
  TeamRepoPermissionBody,
  TopicShape,
} from './shapes';

export { type ApiReply, notFound } from './replies';

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

/**
 * `sort` and `direction` as GitHub reads them: `direction` defaults to asc for full_name and desc
 * otherwise. The double keeps no push or update times, so `updated` and `pushed` sort by creation.
 */
function sortRepos(
  call: Call,
  records: RepoRecord[],
  defaultSort: 'created' | 'full_name',
): RepoRecord[] {
  const sort = call.query.get('sort') ?? defaultSort;
  const byName = sort === 'full_name';
  const direction = call.query.get('direction') ?? (byName ? 'asc' : 'desc');
  const fullName = (r: RepoRecord) =>
    `${r.owner.login}/${r.name}`.toLowerCase();
  const ordered = [...records].sort((a, b) =>
    byName
      ? fullName(a).localeCompare(fullName(b))
      : a.createdAt.localeCompare(b.createdAt) || a.id - b.id,
  );
  return direction === 'asc' ? ordered : ordered.reverse();
}

function listOrgRepos(call: Call): ApiReply {
  const org = call.store.account(call.params.org);
  if (!org || org.type !== 'Organization') return notFound();
  // The double has no forks and every repository is the organisation's own source.
  const type = call.query.get('type') ?? 'all';
  const records = [...call.store.repos.values()].filter(
    r =>
      r.owner.login === org.login &&
      type !== 'forks' &&
      (type === 'public' || type === 'private' ? r.visibility === type : true),
  );
  const body: MinimalRepositoryShape[] = sortRepos(
    call,
    records,
    'created',
  ).map(r => call.store.shape(r));
  return paginate(call, body);
}

function listUserRepos(call: Call): ApiReply {
  const { query, store } = call;
  const type = query.get('type');
  if (type && (query.has('visibility') || query.has('affiliation'))) {
    return invalid('Validation Failed', [
      {
        resource: 'Repository',
        code: 'invalid',
        field: 'type',
        message: 'type cannot be used with visibility or affiliation',
      },
    ]);
  }
  const fromType: Record<string, [string, string]> = {
    all: ['all', 'owner,collaborator,organization_member'],
    owner: ['all', 'owner'],
    public: ['public', 'owner,collaborator,organization_member'],
    private: ['private', 'owner,collaborator,organization_member'],
    member: ['all', 'collaborator,organization_member'],
  };
  const [visibility, affiliation] = fromType[type ?? ''] ?? [
    query.get('visibility') ?? 'all',
    query.get('affiliation') ?? 'owner,collaborator,organization_member',
  ];
  const affiliations = new Set(affiliation.split(',').map(a => a.trim()));
  // The token's user owns its own repositories and belongs to every organisation of the double;
  // nobody has added it as a collaborator anywhere.
  const records = [...store.repos.values()].filter(r => {
    const owned = r.owner.login === store.authenticatedLogin;
    const member =
      r.owner.type === 'Organization' && store.orgs.has(r.owner.login);
    return (
      ((owned && affiliations.has('owner')) ||
        (member && affiliations.has('organization_member'))) &&
      (visibility === 'all' || r.visibility === visibility)
    );
  });
  const body: ListedRepositoryShape[] = sortRepos(
    call,
    records,
    'full_name',
  ).map(r => call.store.shape(r));
  return paginate(call, body);
}

/** The raw media type, spelt as Backstage's GithubUrlReader (`v3.raw`) or GitHub's docs (`raw+json`) do. */
const RAW = /application\/vnd\.github(?:\.v3)?\.raw/i;

function contentItem(
  call: Call,
  record: RepoRecord,
  ref: string,
  entry: {
    type: 'dir' | 'file' | 'symlink';
    name: string;
    path: string;
    sha: string;
    size: number;
  },
) {
  const repo = call.store.shape(record);
  const url = `${repo.url}/contents/${entry.path}?ref=${encodeURIComponent(
    ref,
  )}`;
  const dir = entry.type === 'dir';
  const git = `${repo.url}/git/${dir ? 'trees' : 'blobs'}/${entry.sha}`;
  const html = `${repo.html_url}/${dir ? 'tree' : 'blob'}/${ref}/${entry.path}`;
  return {
    ...entry,
    url,
    git_url: git,
    html_url: html,
    // GitHub Enterprise's raw URL; the double does not serve it (clients read through the API).
    download_url: dir ? null : `${repo.html_url}/raw/${ref}/${entry.path}`,
    _links: { self: url, git, html },
  };
}

function dirEntryType(entry: TreeEntry): 'dir' | 'file' | 'symlink' {
  if (entry.type === 'tree') return 'dir';
  // GitHub lists a submodule as "file" in a directory, for backwards compatibility.
  return entry.mode === '120000' ? 'symlink' : 'file';
}

/**
 * A file as base64 JSON (`content-file`), or its bytes for the raw media type; a directory as
 * the list of its entries. Symlinks are listed but not followed; the object media type and
 * `html` are not served.
 */
function getContent(call: Call, record: RepoRecord): ApiReply {
  const ref = call.query.get('ref') || call.store.defaultBranch(record);
  const filePath = call.params.path.replace(/^\/+|\/+$/g, '');
  const found = call.store.contentAt(record, ref, filePath);
  if (!found) return notFound();
  if (found.kind === 'dir') {
    const body: ContentDirectoryShape = found.entries.map(entry =>
      contentItem(call, record, ref, {
        type: dirEntryType(entry),
        name: entry.name,
        path: filePath ? `${filePath}/${entry.name}` : entry.name,
        sha: entry.sha,
        size: entry.size,
      }),
    );
    return { status: 200, body };
  }
  if (RAW.test(call.accept)) {
    return {
      status: 200,
      raw: found.content,
      headers: { 'content-type': 'application/vnd.github.raw', vary: 'Accept' },
    };
  }
  const body: ContentFileShape = {
    ...contentItem(call, record, ref, {
      type: 'file',
      name: path.posix.basename(filePath),
      path: filePath,
      sha: found.sha,
      size: found.content.length,
    }),
    type: 'file',
    content: found.content.toString('base64'),
    encoding: 'base64',
  };
  return { status: 200, body, headers: { vary: 'Accept' } };
}

/**
 * `DELETE …/git/refs/{ref}` for a branch (`heads/<branch>`): 204, or 422 "Reference does not
 * exist". As on GitHub, deleting a branch closes the open pull requests from it.
 */
function deleteRef(call: Call, record: RepoRecord): ApiReply {
  const ref = call.params.ref;
  const branch = ref.startsWith('heads/') ? ref.slice('heads/'.length) : '';
  if (record.protections.has(branch)) {
    return invalid('Cannot delete this protected branch', []);
  }
  if (!branch || !call.store.deleteBranch(record, branch)) {
    return errorReply(422, 'Reference does not exist');
  }
  const now = new Date().toISOString();
  for (const pull of record.pulls) {
    if (pull.state === 'open' && pull.head === branch) {
      pull.state = 'closed';
      pull.closedAt = now;
    }
  }
  return { status: 204 };
}

/** The sha media type (`application/vnd.github.sha`, `.v3.sha`). */
const SHA = /application\/vnd\.github(?:\.v3)?\.sha/i;

/**
 * `GET …/commits/{ref}` for the sha media type only: the commit's id as text (the cheap way to
 * see whether a branch moved). 409 "Git Repository is empty.", 422 for an unknown ref; JSON
 * (the whole commit) is not served (415).
 */
function commitSha(call: Call, record: RepoRecord): ApiReply {
  if (!SHA.test(call.accept)) {
    return errorReply(
      415,
      'the double serves GET …/commits/{ref} as application/vnd.github.sha only',
    );
  }
  const branches = call.store.branches(record);
  if (branches.length === 0) {
    return errorReply(409, 'Git Repository is empty.');
  }
  const { ref } = call.params;
  const sha = call.store.resolveCommit(record, ref);
  if (!sha) {
    return invalid(`No commit found for SHA: ${ref}`, []);
  }
  return {
    status: 200,
    raw: Buffer.from(sha),
    headers: { 'content-type': 'application/vnd.github.sha', vary: 'Accept' },
  };
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
  repoRoute('GET', '/repos/{owner}/{repo}', (call, record) => ({
    status: 200,
    body: call.store.shape(record),
  })),
  repoRoute('GET', '/repos/{owner}/{repo}/contents/{path}', getContent),
  repoRoute('GET', '/repos/{owner}/{repo}/commits/{ref}', commitSha),
  repoRoute('DELETE', '/repos/{owner}/{repo}/git/refs/{ref}', deleteRef),
  {
    method: 'GET',
    route: '/orgs/{org}/repos',
    handle: listOrgRepos,
  },
  {
    method: 'GET',
    route: '/user/repos',
    handle: listUserRepos,
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
  repoRoute('PUT', '/repos/{owner}/{repo}/topics', (call, record) => {
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
  repoRoute(
    'PUT',
    '/repos/{owner}/{repo}/branches/{branch}/protection',
    (call, record) => {
      if (!call.store.branches(record).includes(call.params.branch)) {
        return errorReply(404, 'Branch not found');
      }
      record.protections.set(
        call.params.branch,
        call.body as BranchProtectionBody,
      );
      const url = `${call.store.shape(record).url}/branches/${
        call.params.branch
      }/protection`;
      return { status: 200, body: { url, ...(call.body as object) } };
    },
  ),
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
  ...pullRoutes,
];

// A parameter is one path segment, except GitHub's `{path}` (a file path) and `{ref}` (a ref
// such as heads/paver/upgrade-x), which span slashes.
const compiled = routes.map(r => ({
  ...r,
  pattern: new RegExp(
    `^${r.route.replace(/\{(\w+)\}/g, (_, name: string) =>
      name === 'path' || name === 'ref'
        ? `(?<${name}>.+)`
        : `(?<${name}>[^/]+)`,
    )}$`,
  ),
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
  // A DELETE has no body; a PUT may come without one (GitHub reads that as `{}`).
  if (route.method !== 'GET' && route.method !== 'DELETE') {
    const body = route.method === 'PUT' ? call.body ?? {} : call.body;
    const problems = bodyProblems(route.method, route.route, body);
    if (problems.length > 0) {
      return invalid(
        'Invalid request.',
        problems.map(message => ({ code: 'invalid', message })),
      );
    }
  }
  return route.handle(call);
}
