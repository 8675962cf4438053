import {
  Construct,
  DataAwsCallerIdentity,
  IamRole,
  IamRolePolicy,
} from '../cdk';
import { InvalidPropsError } from '../errors';
import type { Datastore } from './props';

/** Props of {@link RuntimeIdentity}. */
export interface RuntimeIdentityProps {
  /** Service name: its Kubernetes ServiceAccount and the prefix of its AWS names. */
  readonly serviceName: string;
  /** The EKS cluster's OIDC issuer, `https://oidc.eks.<region>.amazonaws.com/id/<id>`. */
  readonly clusterOidcIssuer: string;
  /** The namespace the deploy job applies the service to. @default 'default' */
  readonly namespace?: string;
  /** What the pods call AWS for. RDS needs nothing: its credentials arrive through the ExternalSecret. @default none */
  readonly datastore?: Datastore;
  /** @default read at plan time from aws_caller_identity */
  readonly awsAccountId?: string;
}

/** What a service's pods do with a DynamoDB table of their own: items, never the table itself. */
const TABLE_ITEM_ACTIONS = [
  'dynamodb:BatchGetItem',
  'dynamodb:BatchWriteItem',
  'dynamodb:ConditionCheckItem',
  'dynamodb:DeleteItem',
  'dynamodb:DescribeTable',
  'dynamodb:GetItem',
  'dynamodb:PutItem',
  'dynamodb:Query',
  'dynamodb:Scan',
  'dynamodb:UpdateItem',
];

/**
 * The AWS role a service's pods run as (IAM Roles for Service Accounts): only the pods of its
 * ServiceAccount in its namespace can assume it, through the cluster's OIDC provider, and it may
 * do only what the datastore needs (a DynamoDB service's own table; an RDS service nothing, since
 * its credentials come through the ExternalSecret). The deploy job writes its ARN on the
 * ServiceAccount (`eks.amazonaws.com/role-arn`) from PAVER_RUNTIME_ROLE_ARN.
 */
export class RuntimeIdentity extends Construct {
  readonly role: IamRole;

  constructor(scope: Construct, id: string, props: RuntimeIdentityProps) {
    super(scope, id);
    const issuer = issuerHost(props.clusterOidcIssuer);
    const account =
      props.awsAccountId ??
      new DataAwsCallerIdentity(this, 'account').accountId;
    const namespace = props.namespace ?? 'default';
    this.role = new IamRole(this, 'role', {
      name: `${props.serviceName}-runtime`,
      description: `Pods of ${props.serviceName} (ServiceAccount ${namespace}/${props.serviceName}), through the cluster's OIDC provider`,
      assumeRolePolicy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: {
              Federated: `arn:aws:iam::${account}:oidc-provider/${issuer}`,
            },
            Action: 'sts:AssumeRoleWithWebIdentity',
            Condition: {
              StringEquals: {
                [`${issuer}:aud`]: 'sts.amazonaws.com',
                [`${issuer}:sub`]: `system:serviceaccount:${namespace}:${props.serviceName}`,
              },
            },
          },
        ],
      }),
      maxSessionDuration: 3600,
    });
    if (props.datastore === 'dynamodb') {
      const table = `arn:aws:dynamodb:*:${account}:table/${props.serviceName}`;
      new IamRolePolicy(this, 'table-policy', {
        role: this.role.name,
        name: 'own-table-items',
        policy: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            {
              Sid: 'OwnTableItems',
              Effect: 'Allow',
              Action: TABLE_ITEM_ACTIONS,
              Resource: [table, `${table}/index/*`],
            },
          ],
        }),
      });
    }
  }
}

/** `oidc.eks.eu-west-1.amazonaws.com/id/ABC` from the issuer URL, as IAM names the provider. */
function issuerHost(issuer: string): string {
  const url = URL.canParse(issuer) ? new URL(issuer) : undefined;
  if (url?.protocol !== 'https:' || url.search || url.hash) {
    throw new InvalidPropsError(
      `clusterOidcIssuer must be the cluster's https OIDC issuer URL, got ${JSON.stringify(
        issuer,
      )}`,
    );
  }
  return `${url.host}${url.pathname.replace(/\/+$/, '')}`;
}
