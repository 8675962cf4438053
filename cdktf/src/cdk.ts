/**
 * The one door to CDK for Terraform. Every cdktf, constructs and provider import in Paver passes
 * through this file, so moving to the community fork (cdktn) means changing only these lines.
 *
 * Providers are imported by deep path (`@cdktf/provider-aws/lib/db-instance`), never through the
 * package barrel: the aws barrel loads all ~2,200 resource modules, ~2.5 s and ~590 MB before a
 * single resource exists; the deep imports below cost a fraction of that (see bench/synth).
 */
export {
  Annotations,
  App,
  Aspects,
  Fn,
  LocalBackend,
  S3Backend,
  TerraformDataSource,
  TerraformOutput,
  TerraformResource,
  TerraformStack,
  Testing,
  Token,
} from 'cdktf';
export type { AppConfig, IAspect } from 'cdktf';
export { Construct } from 'constructs';
export type { IConstruct } from 'constructs';

export { AwsProvider } from '@cdktf/provider-aws/lib/provider';
export { DataAwsCallerIdentity } from '@cdktf/provider-aws/lib/data-aws-caller-identity';
export { DbInstance } from '@cdktf/provider-aws/lib/db-instance';
export { DynamodbTable } from '@cdktf/provider-aws/lib/dynamodb-table';
export { IamRole } from '@cdktf/provider-aws/lib/iam-role';
export { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
export { SecretsmanagerSecret } from '@cdktf/provider-aws/lib/secretsmanager-secret';
export { SecretsmanagerSecretVersion } from '@cdktf/provider-aws/lib/secretsmanager-secret-version';

export { GithubProvider } from '@cdktf/provider-github/lib/provider';
export { ActionsEnvironmentVariable } from '@cdktf/provider-github/lib/actions-environment-variable';
export { ActionsVariable } from '@cdktf/provider-github/lib/actions-variable';
export { BranchProtection } from '@cdktf/provider-github/lib/branch-protection';
export { Repository } from '@cdktf/provider-github/lib/repository';
export { RepositoryEnvironment } from '@cdktf/provider-github/lib/repository-environment';
export { Team } from '@cdktf/provider-github/lib/team';
export { TeamRepository } from '@cdktf/provider-github/lib/team-repository';

export { RandomProvider } from '@cdktf/provider-random/lib/provider';
export { Password } from '@cdktf/provider-random/lib/password';
