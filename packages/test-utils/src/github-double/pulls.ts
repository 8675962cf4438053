import type { ApiReply, Call, Route } from './replies';
import { errorReply, invalid, notFound, paginate, repoRoute } from './replies';
import type {
  CreatePullBody,
  MergePullBody,
  PullRequestMergeResultShape,
  UpdatePullBody,
  PullRefShape,
  PullRequestShape,
  PullRequestSimpleShape,
} from './shapes';
import type { BranchDiff, GithubStore, PullRecord, RepoRecord } from './store';

// Pull requests between branches of one repository (the double has no forks): listed with
// GitHub's filters and opened with GitHub's refusals, answered in GitHub's shapes.

function pullRef(
  store: GithubStore,
  record: RepoRecord,
  repo: PullRefShape['repo'],
  branch: string,
): PullRefShape {
  return {
    label: `${record.owner.login}:${branch}`,
    ref: branch,
    sha: store.branchSha(record, branch),
    user: record.owner,
    repo,
  };
}

/** A pull request as `GET …/pulls` lists it (pull-request-simple). */
function simplePull(
  store: GithubStore,
  record: RepoRecord,
  pull: PullRecord,
): PullRequestSimpleShape {
  const repo = store.shape(record);
  const url = `${repo.url}/pulls/${pull.number}`;
  const htmlUrl = `${repo.html_url}/pull/${pull.number}`;
  const issueUrl = `${repo.url}/issues/${pull.number}`;
  const head = pullRef(store, record, repo, pull.head);
  const links = {
    self: url,
    html: htmlUrl,
    issue: issueUrl,
    comments: `${issueUrl}/comments`,
    review_comments: `${url}/comments`,
    review_comment: `${repo.url}/pulls/comments{/number}`,
    commits: `${url}/commits`,
    statuses: `${repo.url}/statuses/${head.sha}`,
  };
  return {
    url,
    id: pull.id,
    node_id: `PR_${pull.id}`,
    html_url: htmlUrl,
    diff_url: `${htmlUrl}.diff`,
    patch_url: `${htmlUrl}.patch`,
    issue_url: issueUrl,
    commits_url: links.commits,
    review_comments_url: links.review_comments,
    review_comment_url: links.review_comment,
    comments_url: links.comments,
    statuses_url: links.statuses,
    number: pull.number,
    state: pull.state,
    locked: false,
    title: pull.title,
    user: pull.user,
    body: pull.body,
    labels: [],
    milestone: null,
    active_lock_reason: null,
    created_at: pull.createdAt,
    updated_at: pull.closedAt ?? pull.createdAt,
    closed_at: pull.closedAt,
    merged_at: pull.mergedAt,
    merge_commit_sha: pull.mergeCommitSha,
    assignee: null,
    assignees: [],
    requested_reviewers: [],
    requested_teams: [],
    head,
    base: pullRef(store, record, repo, pull.base),
    _links: Object.fromEntries(
      Object.entries(links).map(([rel, href]) => [rel, { href }]),
    ) as PullRequestSimpleShape['_links'],
    author_association:
      record.owner.login === pull.user.login ? 'OWNER' : 'MEMBER',
    auto_merge: null,
    draft: pull.draft,
  };
}

/**
 * The whole pull request, as its creation answers. GitHub works mergeability out in the
 * background and answers `mergeable: null` until it has; the double never works it out.
 */
function fullPull(
  store: GithubStore,
  record: RepoRecord,
  pull: PullRecord,
  diff: BranchDiff,
): PullRequestShape {
  return {
    ...simplePull(store, record, pull),
    state: pull.state,
    merged: pull.mergedAt !== null,
    mergeable: null,
    rebaseable: null,
    mergeable_state: 'unknown',
    merged_by: pull.mergedAt === null ? null : pull.user,
    comments: 0,
    review_comments: 0,
    maintainer_can_modify: false,
    commits: diff.commits,
    additions: diff.additions,
    deletions: diff.deletions,
    changed_files: diff.changedFiles,
  };
}

/**
 * `head` as `owner:branch`. GitHub silently ignores a `head` filter without the owner (it lists
 * every pull request then), and so does the double.
 */
function headFilter(call: Call, record: RepoRecord) {
  const head = call.query.get('head');
  const colon = head?.indexOf(':') ?? -1;
  if (!head || colon < 0) return () => true;
  const owner = head.slice(0, colon).toLowerCase();
  const branch = head.slice(colon + 1);
  return (pull: PullRecord) =>
    owner === record.owner.login.toLowerCase() && pull.head === branch;
}

/** `state` (open, closed or all; default open), `head`, `base`, sorted by creation, paged. */
function listPulls(call: Call, record: RepoRecord): ApiReply {
  const state = call.query.get('state') ?? 'open';
  const base = call.query.get('base');
  const ofHead = headFilter(call, record);
  // GitHub's default direction is desc for `created`, asc otherwise. The double keeps no update
  // times or comment counts, so every `sort` orders by creation.
  const sort = call.query.get('sort') ?? 'created';
  const direction =
    call.query.get('direction') ?? (sort === 'created' ? 'desc' : 'asc');
  const pulls = record.pulls.filter(
    p =>
      (state === 'all' || p.state === state) &&
      (!base || p.base === base) &&
      ofHead(p),
  );
  const ordered = direction === 'asc' ? pulls : [...pulls].reverse();
  return paginate(
    call,
    ordered.map(p => simplePull(call.store, record, p)),
  );
}

const refused = (error: {
  code: string;
  field?: string;
  message?: string;
}): ApiReply =>
  invalid('Validation Failed', [{ resource: 'PullRequest', ...error }]);

/** The branch a `head` of `owner:branch` or `branch` names, if it is this repository's. */
function headBranch(head: string, record: RepoRecord): string | undefined {
  const colon = head.indexOf(':');
  if (colon < 0) return head;
  const owner = head.slice(0, colon);
  return owner.toLowerCase() === record.owner.login.toLowerCase()
    ? head.slice(colon + 1)
    : undefined;
}

/**
 * Opens a pull request, refused (422) as GitHub refuses it: no title, a head or base that is not
 * a branch of the repository, nothing to merge, or an open pull request for the same head and base.
 */
function createPull(call: Call, record: RepoRecord): ApiReply {
  const body = call.body as CreatePullBody;
  if (body.title === undefined) {
    return refused({ field: 'title', code: 'missing_field' });
  }
  const branches = call.store.branches(record);
  const head = headBranch(body.head, record);
  if (head === undefined || !branches.includes(head)) {
    return refused({ field: 'head', code: 'invalid' });
  }
  if (!branches.includes(body.base)) {
    return refused({ field: 'base', code: 'invalid' });
  }
  const open = record.pulls.find(
    p => p.state === 'open' && p.head === head && p.base === body.base,
  );
  if (open) {
    return refused({
      code: 'custom',
      message: `A pull request already exists for ${record.owner.login}:${head}.`,
    });
  }
  const diff = call.store.diff(record, body.base, head);
  if (diff.commits === 0) {
    return refused({
      code: 'custom',
      message: `No commits between ${body.base} and ${head}`,
    });
  }
  const pull = call.store.openPull(record, {
    title: body.title,
    body: body.body ?? null,
    head,
    base: body.base,
    draft: body.draft ?? false,
  });
  if (call.faults.take('create-502')) {
    // The pull request is open now; only the answer is lost, as when GitHub's gateway times out.
    return { status: 502, body: { message: 'Server Error' } };
  }
  const shape = fullPull(call.store, record, pull, diff);
  return { status: 201, body: shape, headers: { location: shape.url } };
}

/** A route of one pull request: `handle` sees only the pull request `{pull_number}` names. */
function pullRoute(
  method: string,
  route: string,
  handle: (call: Call, record: RepoRecord, pull: PullRecord) => ApiReply,
): Route {
  return repoRoute(method, route, (call, record) => {
    const pull = record.pulls.find(
      p => String(p.number) === call.params.pull_number,
    );
    return pull ? handle(call, record, pull) : notFound();
  });
}

/**
 * `PUT …/pulls/{n}/merge`: a merge commit on the base (every `merge_method` merges so), as GitHub
 * answers it. 405 "Pull Request is not mergeable" for a closed pull request or one whose head no
 * longer merges cleanly; 409 when `sha` is not the head's tip any more. The head branch stays.
 */
function mergePull(call: Call, record: RepoRecord, pull: PullRecord) {
  const body = (call.body ?? {}) as NonNullable<MergePullBody>;
  const branches = call.store.branches(record);
  if (
    pull.state !== 'open' ||
    !branches.includes(pull.head) ||
    !branches.includes(pull.base)
  ) {
    return errorReply(405, 'Pull Request is not mergeable');
  }
  if (body.sha && body.sha !== call.store.branchSha(record, pull.head)) {
    return errorReply(
      409,
      'Head branch was modified. Review and try the merge again.',
    );
  }
  const title =
    body.commit_title ??
    `Merge pull request #${pull.number} from ${record.owner.login}/${pull.head}`;
  const merged = call.store.mergeBranches(
    record,
    pull.base,
    pull.head,
    body.commit_message ? `${title}\n\n${body.commit_message}` : title,
  );
  if (merged === 'conflict') {
    return errorReply(405, 'Pull Request is not mergeable');
  }
  const now = new Date().toISOString();
  Object.assign(pull, {
    state: 'closed',
    closedAt: now,
    mergedAt: now,
    mergeCommitSha: merged.sha,
  });
  const result: PullRequestMergeResultShape = {
    sha: merged.sha,
    merged: true,
    message: 'Pull Request successfully merged',
  };
  return { status: 200, body: result };
}

/**
 * `PATCH …/pulls/{n}`: `title`, `body`, and `state` (closing; reopening while its head branch
 * exists). 422 for a change of state of a merged pull request, or reopening one whose head is gone.
 */
function updatePull(call: Call, record: RepoRecord, pull: PullRecord) {
  const body = call.body as UpdatePullBody;
  if (body.state && body.state !== pull.state) {
    if (pull.mergedAt !== null) {
      return refused({
        code: 'custom',
        field: 'state',
        message: 'state cannot be changed. The pull request has been merged.',
      });
    }
    if (
      body.state === 'open' &&
      !call.store.branches(record).includes(pull.head)
    ) {
      return refused({
        code: 'custom',
        field: 'state',
        message: `state cannot be changed. The ${pull.head} branch has been deleted.`,
      });
    }
    pull.state = body.state;
    pull.closedAt = body.state === 'closed' ? new Date().toISOString() : null;
  }
  if (body.title !== undefined) pull.title = body.title;
  if (body.body !== undefined) pull.body = body.body;
  const diff = call.store.branches(record).includes(pull.head)
    ? call.store.diff(record, pull.base, pull.head)
    : { commits: 0, additions: 0, deletions: 0, changedFiles: 0 };
  return { status: 200, body: fullPull(call.store, record, pull, diff) };
}

export const pullRoutes: Route[] = [
  repoRoute('GET', '/repos/{owner}/{repo}/pulls', listPulls),
  repoRoute('POST', '/repos/{owner}/{repo}/pulls', createPull),
  pullRoute('PATCH', '/repos/{owner}/{repo}/pulls/{pull_number}', updatePull),
  pullRoute(
    'PUT',
    '/repos/{owner}/{repo}/pulls/{pull_number}/merge',
    mergePull,
  ),
];
