import { applyOrganisationRules } from '../aspects';
import { Construct } from '../cdk';
import { parseGroupRef, teamSlug } from '../naming';
import { CiIdentity } from './ci-identity';
import { ServiceDatastore } from './datastore';
import { validateDomainServiceProps, type DomainServiceProps } from './props';
import { ServiceRepository } from './repository';
import { GeneratedSecret } from './secrets';

/**
 * Everything a domain service owns: its GitHub repository (protected main, owner team access, a
 * `production` environment), its datastore, generated secrets in Secrets Manager, and CI roles
 * assumed through GitHub OIDC. The organisation rules (tags, encryption, production deletion
 * protection) are applied to the whole construct as Aspects.
 *
 * The stack around it must configure the aws, random and (for the repository) github providers;
 * {@link ServiceStack} does.
 */
export class DomainService extends Construct {
  readonly repository?: ServiceRepository;
  readonly datastore: ServiceDatastore;
  readonly secrets: readonly GeneratedSecret[];
  readonly ciIdentity?: CiIdentity;

  constructor(scope: Construct, id: string, props: DomainServiceProps) {
    validateDomainServiceProps(props);
    super(scope, id);
    const owner = parseGroupRef(props.owner)!;
    const lifecycle = props.lifecycle ?? 'experimental';
    const provision = {
      repository: true,
      ciIdentity: true,
      ...props.provision,
    };

    if (provision.repository) {
      this.repository = new ServiceRepository(this, 'repository', {
        name: props.name,
        description: props.description,
        ownerTeamSlug: teamSlug(owner.name),
        requiredStatusChecks: props.requiredStatusChecks,
      });
    }
    this.datastore = new ServiceDatastore(this, 'datastore', {
      serviceName: props.name,
      datastore: props.datastore,
      lifecycle,
      database: props.database,
    });
    this.secrets = (props.generatedSecrets ?? []).map(
      name =>
        new GeneratedSecret(this, `secret-${name}`, {
          serviceName: props.name,
          name,
          lifecycle,
        }),
    );
    if (provision.ciIdentity) {
      this.ciIdentity = new CiIdentity(this, 'ci-identity', {
        serviceName: props.name,
        githubOrg: props.githubOrg,
        awsAccountId: props.awsAccountId,
      });
      // The role ARNs go into the environment the repository creates, so create that first.
      const repository = this.repository;
      if (repository)
        this.ciIdentity.publishedVariables.forEach(v => {
          v.dependsOn = [repository.environment.fqn];
        });
    }
    applyOrganisationRules(this, {
      owner: owner.name,
      service: props.name,
      lifecycle,
    });
  }
}
