import {
  DbInstance,
  DynamodbTable,
  IamRole,
  DataAwsCallerIdentity,
} from '../cdk';
import { resourcesOf, synthJson } from '../__testUtils__/synth';
import { applyOrganisationRules } from './index';

const rules = { owner: 'payments', service: 'invoices' };

// Resources built by hand, not by DomainService: the rules must hold for anything in scope.
function synthBareResources(lifecycle: 'experimental' | 'production') {
  return synthJson(scope => {
    new DbInstance(scope, 'db', {
      identifier: 'raw-db',
      instanceClass: 'db.t4g.micro',
      engine: 'postgres',
      storageEncrypted: false,
      deletionProtection: false,
      skipFinalSnapshot: true,
      tags: { team: 'kept', owner: 'someone-else' },
    });
    new DynamodbTable(scope, 'table', {
      name: 'raw-table',
      hashKey: 'pk',
      attribute: [{ name: 'pk', type: 'S' }],
    });
    new IamRole(scope, 'role', { name: 'raw-role', assumeRolePolicy: '{}' });
    new DataAwsCallerIdentity(scope, 'account');
    applyOrganisationRules(scope, { ...rules, lifecycle });
  }).json;
}

describe('organisation rules as Aspects', () => {
  it('tags every taggable resource with owner, service and managed-by, overriding a conflicting owner', () => {
    const json = synthBareResources('experimental');
    const expected = {
      owner: 'payments',
      service: 'invoices',
      'managed-by': 'paver',
    };
    expect(resourcesOf(json, 'aws_db_instance')[0].tags).toEqual({
      team: 'kept',
      ...expected,
    });
    expect(resourcesOf(json, 'aws_dynamodb_table')[0].tags).toEqual(expected);
    expect(resourcesOf(json, 'aws_iam_role')[0].tags).toEqual(expected);
  });

  it('leaves data sources untagged, since their tags are a lookup filter', () => {
    const json = synthBareResources('experimental');
    expect(Object.values(json.data!.aws_caller_identity)[0]).not.toHaveProperty(
      'tags',
    );
  });

  it('turns storage encryption on even where a resource turned it off', () => {
    const json = synthBareResources('experimental');
    expect(resourcesOf(json, 'aws_db_instance')[0].storage_encrypted).toBe(
      true,
    );
    expect(
      resourcesOf(json, 'aws_dynamodb_table')[0].server_side_encryption,
    ).toEqual({ enabled: true });
  });

  it('turns deletion protection on and keeps a final snapshot for production datastores', () => {
    const json = synthBareResources('production');
    expect(resourcesOf(json, 'aws_db_instance')[0]).toMatchObject({
      deletion_protection: true,
      skip_final_snapshot: false,
      final_snapshot_identifier: 'raw-db-final',
    });
    expect(
      resourcesOf(json, 'aws_dynamodb_table')[0].deletion_protection_enabled,
    ).toBe(true);
  });

  it('does not force deletion protection outside production', () => {
    const json = synthBareResources('experimental');
    expect(resourcesOf(json, 'aws_db_instance')[0].deletion_protection).toBe(
      false,
    );
    expect(resourcesOf(json, 'aws_dynamodb_table')[0]).not.toHaveProperty(
      'deletion_protection_enabled',
    );
  });
});
