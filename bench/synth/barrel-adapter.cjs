// The stock way: the same names cdktf/src/cdk.ts exports, taken from the provider barrels
// (`require('@cdktf/provider-aws')`). Used only by the benchmark, to measure what deep imports save.
const cdktf = require('cdktf');
const constructs = require('constructs');
const aws = require('@cdktf/provider-aws');
const github = require('@cdktf/provider-github');
const random = require('@cdktf/provider-random');

module.exports = {
  Annotations: cdktf.Annotations,
  App: cdktf.App,
  Aspects: cdktf.Aspects,
  Fn: cdktf.Fn,
  LocalBackend: cdktf.LocalBackend,
  S3Backend: cdktf.S3Backend,
  TerraformDataSource: cdktf.TerraformDataSource,
  TerraformOutput: cdktf.TerraformOutput,
  TerraformResource: cdktf.TerraformResource,
  TerraformStack: cdktf.TerraformStack,
  Testing: cdktf.Testing,
  Token: cdktf.Token,
  Construct: constructs.Construct,
  AwsProvider: aws.provider.AwsProvider,
  DataAwsCallerIdentity: aws.dataAwsCallerIdentity.DataAwsCallerIdentity,
  DbInstance: aws.dbInstance.DbInstance,
  DynamodbTable: aws.dynamodbTable.DynamodbTable,
  IamRole: aws.iamRole.IamRole,
  IamRolePolicy: aws.iamRolePolicy.IamRolePolicy,
  SecretsmanagerSecret: aws.secretsmanagerSecret.SecretsmanagerSecret,
  SecretsmanagerSecretVersion:
    aws.secretsmanagerSecretVersion.SecretsmanagerSecretVersion,
  GithubProvider: github.provider.GithubProvider,
  ActionsEnvironmentVariable:
    github.actionsEnvironmentVariable.ActionsEnvironmentVariable,
  ActionsVariable: github.actionsVariable.ActionsVariable,
  BranchProtection: github.branchProtection.BranchProtection,
  Repository: github.repository.Repository,
  RepositoryEnvironment: github.repositoryEnvironment.RepositoryEnvironment,
  Team: github.team.Team,
  TeamRepository: github.teamRepository.TeamRepository,
  RandomProvider: random.provider.RandomProvider,
  Password: random.password.Password,
};
