import { applyOrganisationRules } from '../aspects';
import {
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
import { ServiceRepository } from '../domain-service/repository';
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
 * A catalog Component's repository, its owner team's access, and the CI roles its own `infra/`
 * app deploys with. The platform creates the roles so a service's pipeline never grants itself power.
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
    const repository = new ServiceRepository(this, 'repository', {
      name: component.repositoryName,
      description: component.description,
      ownerTeamSlug: component.ownerTeamSlug,
    });
    const ci = new CiIdentity(this, 'ci-identity', {
      serviceName: component.repositoryName.toLowerCase(),
      githubOrg: settings.githubOrg,
      repository: component.repositoryName,
      awsAccountId: settings.awsAccountId,
      stateBucket: settings.stateBucket,
    });
    ci.publishedVariables.forEach(variable => {
      variable.dependsOn = [repository.environment.fqn];
    });
    applyOrganisationRules(this, {
      owner: component.ownerName,
      service: component.name,
      lifecycle: 'experimental',
    });
  }
}
