import { Construct, DbInstance, DynamodbTable, Fn } from '../cdk';
import type { DatabaseOptions, Datastore, Lifecycle } from './props';
import { generatedValue, StoredSecret } from './secrets';

/** The one place a datastore answer becomes an engine: add a datastore here and in `DATASTORES`. */
const RDS_ENGINES = {
  postgres: { engine: 'postgres', version: '16', port: 5432 },
  mysql: { engine: 'mysql', version: '8.0', port: 3306 },
} as const;
type RdsEngine = (typeof RDS_ENGINES)[keyof typeof RDS_ENGINES];

/** Props of {@link ServiceDatastore}. */
export interface ServiceDatastoreProps {
  readonly serviceName: string;
  readonly datastore: Datastore;
  /** @default 'experimental' */
  readonly lifecycle?: Lifecycle;
  /** @default see {@link DatabaseOptions} */
  readonly database?: DatabaseOptions;
}

/**
 * The service's own datastore: an RDS instance (PostgreSQL or MySQL) whose generated credentials
 * live in Secrets Manager under `paver/<service>/database`, or a DynamoDB table named after the
 * service. Encryption and production deletion protection are enforced by the organisation Aspects.
 */
export class ServiceDatastore extends Construct {
  readonly database?: DbInstance;
  readonly table?: DynamodbTable;
  /** Secret holding `{engine, host, port, username, password, dbname}` (RDS only). */
  credentials?: StoredSecret;

  constructor(scope: Construct, id: string, props: ServiceDatastoreProps) {
    super(scope, id);
    if (props.datastore === 'dynamodb') {
      this.table = this.createTable(props.serviceName);
    } else {
      this.database = this.createDatabase(props, RDS_ENGINES[props.datastore]);
    }
  }

  private createTable(name: string): DynamodbTable {
    return new DynamodbTable(this, 'table', {
      name,
      billingMode: 'PAY_PER_REQUEST',
      hashKey: 'pk',
      rangeKey: 'sk',
      attribute: [
        { name: 'pk', type: 'S' },
        { name: 'sk', type: 'S' },
      ],
      pointInTimeRecovery: { enabled: true },
      serverSideEncryption: { enabled: true },
    });
  }

  private createDatabase(
    props: ServiceDatastoreProps,
    spec: RdsEngine,
  ): DbInstance {
    const production = props.lifecycle === 'production';
    const options = props.database ?? {};
    const username = 'app_admin';
    const dbName = props.serviceName.replace(/-/g, '_');
    const password = generatedValue(this, 'password', 32);
    const database = new DbInstance(this, 'database', {
      identifier: props.serviceName,
      engine: spec.engine,
      engineVersion: options.engineVersion ?? spec.version,
      instanceClass: options.instanceClass ?? 'db.t4g.micro',
      allocatedStorage: options.allocatedStorageGb ?? 20,
      dbName,
      username,
      password,
      port: spec.port,
      multiAz: production,
      backupRetentionPeriod: production ? 14 : 1,
      copyTagsToSnapshot: true,
      skipFinalSnapshot: !production,
      finalSnapshotIdentifier: production
        ? `${props.serviceName}-final`
        : undefined,
      dbSubnetGroupName: options.subnetGroupName,
      vpcSecurityGroupIds: options.securityGroupIds
        ? [...options.securityGroupIds]
        : undefined,
      storageEncrypted: true,
    });
    this.credentials = new StoredSecret(this, 'credentials', {
      serviceName: props.serviceName,
      name: 'database',
      lifecycle: props.lifecycle,
      // jsonencode runs in Terraform, so the password stays a reference in the synthesized JSON.
      secretString: Fn.jsonencode({
        engine: spec.engine,
        host: database.address,
        port: database.port,
        username,
        password,
        dbname: dbName,
      }),
    });
    return database;
  }
}
