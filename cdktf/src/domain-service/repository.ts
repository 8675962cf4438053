import {
  BranchProtection,
  Construct,
  Repository,
  RepositoryEnvironment,
  TeamRepository,
} from '../cdk';
import { adoptExisting } from './adopt';

/** The environment whose jobs may deploy; only protected branches (main) can use it. */
export const PRODUCTION_ENVIRONMENT = 'production';

/** The branch the platform protects; the scaffolder pushes to and protects the same one. */
const PROTECTED_BRANCH = 'main';

/** The jobs of a generated service's CI: service-base's ci.yml and the infra fragment's infra.yml. */
export const DEFAULT_REQUIRED_CHECKS: readonly string[] = [
  'lint, test, build, contract',
  'infra: synth and plan (no credentials)',
];

/** Props of {@link ServiceRepository}. */
export interface ServiceRepositoryProps {
  /** Repository name (already validated by the caller). */
  readonly name: string;
  /** @default '' */
  readonly description?: string;
  /** Slug of the owning Group's GitHub team, granted `maintain`. */
  readonly ownerTeamSlug: string;
  /** Status checks (job names) that must pass before merging into main. @default DEFAULT_REQUIRED_CHECKS */
  readonly requiredStatusChecks?: readonly string[];
  /** Approving reviews a pull request into main needs. @default 1 */
  readonly requiredApprovals?: number;
  /** @default 'private' */
  readonly visibility?: 'private' | 'internal';
  /** @default ['paver'] */
  readonly topics?: readonly string[];
}

/**
 * A service's GitHub repository with main protected (reviews, code owners, status checks, no force
 * pushes), the owner team's access, and a `production` environment restricted to protected branches.
 */
export class ServiceRepository extends Construct {
  readonly repository: Repository;
  readonly environment: RepositoryEnvironment;

  constructor(scope: Construct, id: string, props: ServiceRepositoryProps) {
    super(scope, id);
    this.repository = new Repository(this, 'repository', {
      name: props.name,
      description: props.description ?? '',
      visibility: props.visibility ?? 'private',
      topics: [...(props.topics ?? ['paver'])],
      hasIssues: true,
      allowMergeCommit: false,
      allowSquashMerge: true,
      allowRebaseMerge: false,
      deleteBranchOnMerge: true,
      vulnerabilityAlerts: true,
      // Destroying the stack must never delete code: archive instead.
      archiveOnDestroy: true,
    });
    // The portal's scaffolder creates the repository (and pushes the first commit) before any
    // stack runs, so this stack adopts it through a Terraform import block: creating it would fail
    // on the existing name.
    adoptExisting(this.repository, props.name);
    const mainProtection = new BranchProtection(this, 'main-protection', {
      repositoryId: this.repository.nodeId,
      pattern: PROTECTED_BRANCH,
      enforceAdmins: true,
      allowsDeletions: false,
      allowsForcePushes: false,
      requiredLinearHistory: true,
      requireConversationResolution: true,
      requiredPullRequestReviews: [
        {
          requiredApprovingReviewCount: props.requiredApprovals ?? 1,
          requireCodeOwnerReviews: true,
          dismissStaleReviews: true,
        },
      ],
      requiredStatusChecks: [
        {
          strict: true,
          contexts: [
            ...(props.requiredStatusChecks ?? DEFAULT_REQUIRED_CHECKS),
          ],
        },
      ],
    });
    // The scaffolder protects main too (publishToGithub's protection step), and GitHub refuses a
    // second rule for the same pattern, so the rule is adopted as well: id `<repository>:<pattern>`.
    // Team access needs no import: creating it is GitHub's idempotent PUT, which succeeds whether or
    // not the scaffolder granted it already. The environment does not exist before this stack.
    adoptExisting(mainProtection, `${props.name}:${PROTECTED_BRANCH}`);
    new TeamRepository(this, 'owner-access', {
      teamId: props.ownerTeamSlug,
      repository: this.repository.name,
      permission: 'maintain',
    });
    this.environment = new RepositoryEnvironment(this, 'production', {
      repository: this.repository.name,
      environment: PRODUCTION_ENVIRONMENT,
      preventSelfReview: true,
      deploymentBranchPolicy: {
        protectedBranches: true,
        customBranchPolicies: false,
      },
    });
  }
}
