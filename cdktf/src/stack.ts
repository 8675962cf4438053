import {
  AwsProvider,
  Construct,
  GithubProvider,
  LocalBackend,
  RandomProvider,
  S3Backend,
  TerraformStack,
} from './cdk';
import { DEFAULT_STATE_BUCKET } from './domain-service/ci-identity';

/** Props of {@link ServiceStack}. */
export interface ServiceStackProps {
  /** @default 'eu-west-1' */
  readonly awsRegion?: string;
  /** GitHub organisation; configures the github provider (token from GITHUB_TOKEN at plan time). @default no github provider */
  readonly githubOrg?: string;
  /** S3 bucket holding the state. @default DEFAULT_STATE_BUCKET */
  readonly stateBucket?: string;
  /** State object key. @default `services/<stack id>/terraform.tfstate` */
  readonly stateKey?: string;
  /**
   * For pull-request plans, which hold no credentials: local state, and an AWS provider that never
   * calls AWS (no credential check, no account lookup). Pass awsAccountId to the constructs too.
   * @default false
   */
  readonly offline?: boolean;
}

/**
 * A stack with the providers a {@link DomainService} needs and encrypted, lock-filed S3 state.
 * Credentials are never configured here: CI provides them through OIDC, a laptop through a profile.
 */
export class ServiceStack extends TerraformStack {
  constructor(scope: Construct, id: string, props: ServiceStackProps = {}) {
    super(scope, id);
    const offline = props.offline ?? false;
    new AwsProvider(this, 'aws', {
      region: props.awsRegion ?? 'eu-west-1',
      ...(offline && {
        skipCredentialsValidation: true,
        skipRequestingAccountId: true,
        skipMetadataApiCheck: 'true',
      }),
    });
    new RandomProvider(this, 'random');
    if (props.githubOrg)
      new GithubProvider(this, 'github', { owner: props.githubOrg });
    if (offline) {
      new LocalBackend(this, { path: 'offline.tfstate' });
      return;
    }
    new S3Backend(this, {
      bucket: props.stateBucket ?? DEFAULT_STATE_BUCKET,
      key: props.stateKey ?? `services/${id}/terraform.tfstate`,
      region: props.awsRegion ?? 'eu-west-1',
      encrypt: true,
    });
    // S3-native locking (Terraform >= 1.10); cdktf 0.21's backend type predates the option.
    this.addOverride('terraform.backend.s3.use_lockfile', true);
  }
}
