import {
  ActionsEnvironmentVariable,
  ActionsVariable,
  Construct,
  DataAwsCallerIdentity,
  IamRole,
  IamRolePolicy,
} from '../cdk';
import { PRODUCTION_ENVIRONMENT } from './repository';

/** GitHub's OIDC issuer, as IAM names it. */
export const GITHUB_OIDC_HOST = 'token.actions.githubusercontent.com';
/** The state bucket every Paver stack keeps its state in, under `services/<name>/`. */
export const DEFAULT_STATE_BUCKET = 'paver-terraform-state';

/** Props of {@link CiIdentity}. */
export interface CiIdentityProps {
  /** Service name: names the roles and scopes their permissions. */
  readonly serviceName: string;
  /** GitHub organisation of the repository. */
  readonly githubOrg: string;
  /** @default serviceName */
  readonly repository?: string;
  /** @default read at plan time from aws_caller_identity */
  readonly awsAccountId?: string;
  /** ARN of the account's GitHub OIDC provider. @default arn:aws:iam::<account>:oidc-provider/token.actions.githubusercontent.com */
  readonly oidcProviderArn?: string;
  /** @default DEFAULT_STATE_BUCKET */
  readonly stateBucket?: string;
  /** Write the role ARNs into the repository's Actions variables. @default true */
  readonly publishRoleArns?: boolean;
}

/**
 * Two IAM roles that CI assumes through GitHub OIDC, with no access keys anywhere:
 * - `deploy`: only jobs in the repository's `production` environment (protected branches only);
 *   may change this service's resources and its state.
 * - `plan`: only workflows on main (the scheduled drift check); read-only.
 * Pull requests match neither subject, so they never get AWS credentials.
 */
export class CiIdentity extends Construct {
  readonly deployRole: IamRole;
  readonly planRole: IamRole;
  readonly publishedVariables: ReadonlyArray<
    ActionsEnvironmentVariable | ActionsVariable
  >;

  constructor(scope: Construct, id: string, props: CiIdentityProps) {
    super(scope, id);
    const repo = `${props.githubOrg}/${props.repository ?? props.serviceName}`;
    const account =
      props.awsAccountId ??
      new DataAwsCallerIdentity(this, 'account').accountId;
    const provider =
      props.oidcProviderArn ??
      `arn:aws:iam::${account}:oidc-provider/${GITHUB_OIDC_HOST}`;
    const scoped = new ServiceArns(
      props.serviceName,
      account,
      props.stateBucket ?? DEFAULT_STATE_BUCKET,
    );

    this.deployRole = this.role(
      'deploy',
      props.serviceName,
      trustPolicy(
        provider,
        `repo:${repo}:environment:${PRODUCTION_ENVIRONMENT}`,
      ),
    );
    this.attach('deploy', this.deployRole, deployStatements(scoped));
    this.planRole = this.role(
      'plan',
      props.serviceName,
      trustPolicy(provider, `repo:${repo}:ref:refs/heads/main`),
    );
    this.attach('plan', this.planRole, planStatements(scoped));
    this.publishedVariables =
      props.publishRoleArns === false
        ? []
        : this.publish(props.repository ?? props.serviceName);
  }

  private role(
    kind: string,
    service: string,
    assumeRolePolicy: string,
  ): IamRole {
    return new IamRole(this, `${kind}-role`, {
      name: `${service}-ci-${kind}`,
      description: `GitHub Actions (${kind}) for ${service}, assumed through OIDC`,
      assumeRolePolicy,
      maxSessionDuration: 3600,
    });
  }

  private attach(
    kind: string,
    role: IamRole,
    statements: PolicyStatement[],
  ): void {
    new IamRolePolicy(this, `${kind}-policy`, {
      role: role.name,
      name: `${kind}-service-resources`,
      policy: JSON.stringify({ Version: '2012-10-17', Statement: statements }),
    });
  }

  private publish(repository: string) {
    return [
      new ActionsEnvironmentVariable(this, 'deploy-role-arn', {
        repository,
        environment: PRODUCTION_ENVIRONMENT,
        variableName: 'PAVER_AWS_DEPLOY_ROLE_ARN',
        value: this.deployRole.arn,
      }),
      new ActionsVariable(this, 'plan-role-arn', {
        repository,
        variableName: 'PAVER_AWS_PLAN_ROLE_ARN',
        value: this.planRole.arn,
      }),
    ];
  }
}

interface PolicyStatement {
  Sid: string;
  Effect: 'Allow';
  Action: string[];
  Resource: string[];
  Condition?: Record<string, Record<string, string | string[]>>;
}

/** Exactly one subject, matched exactly: no wildcard can widen it to forks, tags or other branches. */
function trustPolicy(providerArn: string, subject: string): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { Federated: providerArn },
        Action: 'sts:AssumeRoleWithWebIdentity',
        Condition: {
          StringEquals: {
            [`${GITHUB_OIDC_HOST}:aud`]: 'sts.amazonaws.com',
            [`${GITHUB_OIDC_HOST}:sub`]: subject,
          },
        },
      },
    ],
  });
}

/** The ARNs a service's CI may touch: its own database, table, secrets and state. */
class ServiceArns {
  constructor(
    readonly service: string,
    private readonly account: string,
    readonly bucket: string,
  ) {}
  get database() {
    return [
      `arn:aws:rds:*:${this.account}:db:${this.service}`,
      `arn:aws:rds:*:${this.account}:snapshot:${this.service}-*`,
    ];
  }
  get table() {
    return [`arn:aws:dynamodb:*:${this.account}:table/${this.service}`];
  }
  get secrets() {
    return [
      `arn:aws:secretsmanager:*:${this.account}:secret:paver/${this.service}/*`,
    ];
  }
  get stateObjects() {
    return [`arn:aws:s3:::${this.bucket}/services/${this.service}/*`];
  }
  get stateList(): PolicyStatement {
    return {
      Sid: 'ListOwnState',
      Effect: 'Allow',
      Action: ['s3:ListBucket'],
      Resource: [`arn:aws:s3:::${this.bucket}`],
      Condition: { StringLike: { 's3:prefix': `services/${this.service}/*` } },
    };
  }
}

function deployStatements(arns: ServiceArns): PolicyStatement[] {
  return [
    {
      Sid: 'OwnDatastore',
      Effect: 'Allow',
      Action: ['rds:*', 'dynamodb:*'],
      Resource: [...arns.database, ...arns.table],
    },
    {
      Sid: 'OwnSecrets',
      Effect: 'Allow',
      Action: ['secretsmanager:*'],
      Resource: arns.secrets,
    },
    {
      Sid: 'Describe',
      Effect: 'Allow',
      Action: ['rds:Describe*', 'secretsmanager:ListSecrets'],
      Resource: ['*'],
    },
    {
      Sid: 'OwnState',
      Effect: 'Allow',
      Action: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'],
      Resource: arns.stateObjects,
    },
    arns.stateList,
  ];
}

function planStatements(arns: ServiceArns): PolicyStatement[] {
  return [
    {
      Sid: 'ReadOwnResources',
      Effect: 'Allow',
      Action: [
        'rds:Describe*',
        'rds:ListTagsForResource',
        'dynamodb:Describe*',
        'dynamodb:ListTagsOfResource',
        'secretsmanager:DescribeSecret',
        'secretsmanager:GetSecretValue',
        'secretsmanager:GetResourcePolicy',
      ],
      Resource: [...arns.database, ...arns.table, ...arns.secrets],
    },
    {
      Sid: 'Describe',
      Effect: 'Allow',
      Action: ['rds:Describe*'],
      Resource: ['*'],
    },
    {
      Sid: 'ReadOwnState',
      Effect: 'Allow',
      Action: ['s3:GetObject'],
      Resource: arns.stateObjects,
    },
    arns.stateList,
  ];
}
