import type { components, operations } from '@octokit/openapi-types';

// The double's wire shapes come from GitHub's own REST description, so a field we invent or
// misspell fails to compile instead of passing tests against a GitHub that does not exist.

type Schemas = components['schemas'];
type JsonBody<Op> = Op extends {
  requestBody?: { content: { 'application/json': infer B } };
}
  ? B
  : never;

export type SimpleUser = Pick<
  Schemas['simple-user'],
  'login' | 'id' | 'node_id' | 'type' | 'html_url' | 'url'
>;

/** The subset of GitHub's full-repository the double serves, field for field as GitHub names it. */
export type RepositoryShape = Pick<
  Schemas['full-repository'],
  | 'id'
  | 'node_id'
  | 'name'
  | 'full_name'
  | 'private'
  | 'visibility'
  | 'description'
  | 'html_url'
  | 'clone_url'
  | 'url'
  | 'topics'
  | 'default_branch'
  | 'created_at'
> & { owner: SimpleUser };

/** The same fields as GitHub's minimal-repository, what `GET /orgs/{org}/repos` lists. */
export type MinimalRepositoryShape = Pick<
  Schemas['minimal-repository'],
  Exclude<keyof RepositoryShape, 'owner'>
> & { owner: SimpleUser };
/** The same fields as GitHub's repository, what `GET /user/repos` lists. */
export type ListedRepositoryShape = Pick<
  Schemas['repository'],
  Exclude<keyof RepositoryShape, 'owner'>
> & { owner: SimpleUser };

/** `GET /repos/{owner}/{repo}/contents/{path}` for a file (application/json). */
export type ContentFileShape = Schemas['content-file'];
/** The same route for a directory: one item per entry. */
export type ContentDirectoryShape = Schemas['content-directory'];

export type CreateInOrgBody = JsonBody<operations['repos/create-in-org']>;
export type CreateForUserBody = JsonBody<
  operations['repos/create-for-authenticated-user']
>;
export type ReplaceTopicsBody = JsonBody<
  operations['repos/replace-all-topics']
>;
export type TopicShape = Schemas['topic'];
export type BranchProtectionBody = JsonBody<
  operations['repos/update-branch-protection']
>;
export type TeamRepoPermissionBody = JsonBody<
  operations['teams/add-or-update-repo-permissions-in-org']
>;
export type BasicErrorShape = Schemas['basic-error'];
export type ValidationErrorShape = Schemas['validation-error'];

type PullRequest = Schemas['pull-request'];
/** A pull request's head or base: its repository and user as the double serves them elsewhere. */
export type PullRefShape = Omit<PullRequest['head'], 'repo' | 'user'> & {
  repo: ListedRepositoryShape;
  user: SimpleUser;
};
/**
 * `POST /repos/{owner}/{repo}/pulls` (201), `PATCH …/pulls/{pull_number}` (200): the whole pull
 * request, users and repositories as above.
 */
export type PullRequestShape = Omit<
  PullRequest,
  'user' | 'head' | 'base' | 'merged_by'
> & {
  user: SimpleUser;
  head: PullRefShape;
  base: PullRefShape;
  merged_by: SimpleUser | null;
};
/** What `GET /repos/{owner}/{repo}/pulls` lists: GitHub's pull-request-simple. */
export type PullRequestSimpleShape = Omit<
  Schemas['pull-request-simple'],
  'user' | 'head' | 'base'
> & { user: SimpleUser; head: PullRefShape; base: PullRefShape };
export type CreatePullBody = JsonBody<operations['pulls/create']>;
export type UpdatePullBody = JsonBody<operations['pulls/update']>;
export type MergePullBody = JsonBody<operations['pulls/merge']>;
/** `PUT /repos/{owner}/{repo}/pulls/{pull_number}/merge` (200). */
export type PullRequestMergeResultShape = Schemas['pull-request-merge-result'];
