import { applyOrganisationRules } from '../aspects';
import {
  ActionsEnvironmentVariable,
  Construct,
  GithubProvider,
  S3Backend,
  Team,
  TerraformStack,
} from '../cdk';
import {
  CiIdentity,
  DEFAULT_STATE_BUCKET,
} from '../domain-service/ci-identity';
import {
  PRODUCTION_ENVIRONMENT,
  ServiceRepository,
} from '../domain-service/repository';
import { RuntimeIdentity } from '../domain-service/runtime-identity';
import { ServiceStack } from '../stack';
import type { ComponentPlan, TeamPlan } from './plan';

/** Settings shared by every platform stack. */
export interface PlatformStackSettings {
  readonly githubOrg: string;
  readonly awsRegion: string;
  readonly stateBucket: string;
  /** Known in offline plans, where aws_caller_identity cannot be read. @default aws_caller_identity */
  readonly awsAccountId?: string;
  readonly offline: boolean;
  /**
   * The EKS cluster's OIDC issuer: with it, each Component gets the role its pods run as
   * ({@link RuntimeIdentity}) and PAVER_RUNTIME_ROLE_ARN in its production environment.
   */
  readonly eksOidcIssuer?: string;
  /** The namespace services are deployed to (the deploy job's PAVER_K8S_NAMESPACE). @default 'default' */
  readonly k8sNamespace?: string;
}

/** One GitHub team per Group that owns a Component; applied before the component stacks. */
export class TeamsStack extends TerraformStack {
  constructor(
    scope: Construct,
    id: string,
    teams: readonly TeamPlan[],
    settings: PlatformStackSettings,
  ) {
    super(scope, id);
    new GithubProvider(this, 'github', { owner: settings.githubOrg });
    new S3Backend(this, {
      bucket: settings.stateBucket ?? DEFAULT_STATE_BUCKET,
      key: 'platform/teams/terraform.tfstate',
      region: settings.awsRegion,
      encrypt: true,
    });
    for (const team of teams) {
      new Team(this, `team-${team.slug}`, {
        name: team.name,
        description:
          team.description ?? `${team.ref}, managed by Paver from the catalog`,
        privacy: 'closed',
      });
    }
  }
}

/**
 * A catalog Component's repository, its owner team's access, the CI roles its own `infra/` app
 * deploys with and, once the cluster's OIDC issuer is known, the role its pods run as. The
 * platform creates the roles so a service's pipeline never grants itself power.
 */
export class ComponentStack extends ServiceStack {
  constructor(
    scope: Construct,
    id: string,
    component: ComponentPlan,
    settings: PlatformStackSettings,
  ) {
    super(scope, id, {
      awsRegion: settings.awsRegion,
      githubOrg: settings.githubOrg,
      stateBucket: settings.stateBucket,
      stateKey: `platform/components/${component.namespace}/${component.name}/terraform.tfstate`,
      offline: settings.offline,
    });
    // AWS names (roles, their scoped resources) are lower case; GitHub keeps the repository's.
    const serviceName = component.repositoryName.toLowerCase();
    const repository = new ServiceRepository(this, 'repository', {
      name: component.repositoryName,
      description: component.description,
      ownerTeamSlug: component.ownerTeamSlug,
    });
    const ci = new CiIdentity(this, 'ci-identity', {
      serviceName,
      githubOrg: settings.githubOrg,
      repository: component.repositoryName,
      awsAccountId: settings.awsAccountId,
      stateBucket: settings.stateBucket,
    });
    ci.publishedVariables.forEach(variable => {
      variable.dependsOn = [repository.environment.fqn];
    });
    if (settings.eksOidcIssuer) {
      const runtime = new RuntimeIdentity(this, 'runtime-identity', {
        serviceName,
        clusterOidcIssuer: settings.eksOidcIssuer,
        namespace: settings.k8sNamespace,
        datastore: component.datastore,
        awsAccountId: settings.awsAccountId,
      });
      new ActionsEnvironmentVariable(this, 'runtime-role-arn', {
        repository: component.repositoryName,
        environment: PRODUCTION_ENVIRONMENT,
        variableName: 'PAVER_RUNTIME_ROLE_ARN',
        value: runtime.role.arn,
        dependsOn: [repository.environment],
      });
    }
    applyOrganisationRules(this, {
      owner: component.ownerName,
      service: component.name,
      lifecycle: 'experimental',
    });
  }
}
