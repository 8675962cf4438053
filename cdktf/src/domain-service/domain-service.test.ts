import { DomainService } from './domain-service';
import type { DomainServiceProps } from './props';
import { allResources, resourcesOf, synthJson } from '../__testUtils__/synth';

const base: DomainServiceProps = {
  name: 'invoices',
  description: 'Invoices for every plan',
  owner: 'group:default/payments',
  githubOrg: 'acme',
  datastore: 'postgres',
};

function synthService(overrides: Partial<DomainServiceProps> = {}) {
  return synthJson(
    scope => new DomainService(scope, 'service', { ...base, ...overrides }),
  );
}

describe('DomainService datastore choice', () => {
  it('provisions RDS PostgreSQL with generated credentials in Secrets Manager for postgres', () => {
    const { json } = synthService({ datastore: 'postgres' });
    const [db] = resourcesOf(json, 'aws_db_instance');
    expect(db).toMatchObject({
      identifier: 'invoices',
      engine: 'postgres',
      engine_version: '16',
      db_name: 'invoices',
    });
    expect(db.password).toMatch(/^\$\{random_password\.[\w-]+\.result\}$/);
    expect(resourcesOf(json, 'aws_dynamodb_table')).toHaveLength(0);
    const [secret] = resourcesOf(json, 'aws_secretsmanager_secret');
    expect(secret.name).toBe('paver/invoices/database');
    const [version] = resourcesOf(json, 'aws_secretsmanager_secret_version');
    expect(version.secret_string).toMatch(
      /^\$\{jsonencode\(.*random_password\.[\w-]+\.result.*\)\}$/s,
    );
  });

  it('provisions RDS MySQL on port 3306 for mysql', () => {
    const { json } = synthService({
      datastore: 'mysql',
      name: 'ledger-entries',
    });
    const [db] = resourcesOf(json, 'aws_db_instance');
    expect(db).toMatchObject({
      engine: 'mysql',
      engine_version: '8.0',
      port: 3306,
      db_name: 'ledger_entries',
    });
  });

  it('provisions an encrypted on-demand DynamoDB table and no database for dynamodb', () => {
    const { json } = synthService({ datastore: 'dynamodb' });
    expect(resourcesOf(json, 'aws_db_instance')).toHaveLength(0);
    const [table] = resourcesOf(json, 'aws_dynamodb_table');
    expect(table).toMatchObject({
      name: 'invoices',
      billing_mode: 'PAY_PER_REQUEST',
      hash_key: 'pk',
      range_key: 'sk',
      point_in_time_recovery: { enabled: true },
      server_side_encryption: { enabled: true },
    });
    expect(resourcesOf(json, 'aws_secretsmanager_secret')).toHaveLength(0);
  });

  it('refuses a datastore it cannot map, naming the value', () => {
    expect(() => synthService({ datastore: 'mongo' as never })).toThrow(
      /datastore "mongo" must be one of postgres, mysql, dynamodb/,
    );
  });
});

describe('DomainService repository', () => {
  it('protects main, gives the owner team maintain access and creates a production environment', () => {
    const { json } = synthService();
    const [repo] = resourcesOf(json, 'github_repository');
    expect(repo).toMatchObject({
      name: 'invoices',
      visibility: 'private',
      archive_on_destroy: true,
    });
    const [protection] = resourcesOf(json, 'github_branch_protection');
    expect(protection).toMatchObject({
      pattern: 'main',
      enforce_admins: true,
      allows_force_pushes: false,
      required_pull_request_reviews: [
        {
          required_approving_review_count: 1,
          require_code_owner_reviews: true,
        },
      ],
    });
    expect(protection.repository_id).toMatch(
      /github_repository\.[\w-]+\.node_id/,
    );
    expect(resourcesOf(json, 'github_team_repository')).toEqual([
      expect.objectContaining({ team_id: 'payments', permission: 'maintain' }),
    ]);
    const [environment] = resourcesOf(json, 'github_repository_environment');
    expect(environment).toMatchObject({
      environment: 'production',
      deployment_branch_policy: {
        protected_branches: true,
        custom_branch_policies: false,
      },
    });
  });

  it('leaves the repository and CI identity out when another stack owns them', () => {
    const { json } = synthService({
      provision: { repository: false, ciIdentity: false },
    });
    expect(resourcesOf(json, 'github_repository')).toHaveLength(0);
    expect(resourcesOf(json, 'aws_iam_role')).toHaveLength(0);
    expect(resourcesOf(json, 'aws_db_instance')).toHaveLength(1);
  });
});

describe('DomainService CI identity', () => {
  const trust = (role: Record<string, any>) =>
    JSON.parse(role.assume_role_policy).Statement[0];

  it('lets only the production environment assume the deploy role, and only main the plan role', () => {
    const { json } = synthService({ awsAccountId: '123456789012' });
    const roles = Object.fromEntries(
      resourcesOf(json, 'aws_iam_role').map(r => [r.name, r]),
    );
    const deploy = trust(roles['invoices-ci-deploy']);
    expect(deploy.Principal.Federated).toBe(
      'arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com',
    );
    expect(deploy.Action).toBe('sts:AssumeRoleWithWebIdentity');
    expect(deploy.Condition).toEqual({
      StringEquals: {
        'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com',
        'token.actions.githubusercontent.com:sub':
          'repo:acme/invoices:environment:production',
      },
    });
    expect(
      trust(roles['invoices-ci-plan']).Condition.StringEquals[
        'token.actions.githubusercontent.com:sub'
      ],
    ).toBe('repo:acme/invoices:ref:refs/heads/main');
  });

  it('creates no access keys and gives the plan role no write action', () => {
    const { json } = synthService();
    expect(resourcesOf(json, 'aws_iam_access_key')).toHaveLength(0);
    const planPolicy = resourcesOf(json, 'aws_iam_role_policy').find(
      p => p.name === 'plan-service-resources',
    )!;
    const actions: string[] = JSON.parse(planPolicy.policy).Statement.flatMap(
      (s: any) => s.Action,
    );
    expect(actions.filter(a => !/:(Describe|Get|List)/.test(a))).toEqual([]);
  });

  it('reads the account id from aws_caller_identity when none is given', () => {
    const { json } = synthService();
    const [role] = resourcesOf(json, 'aws_iam_role');
    expect(trust(role).Principal.Federated).toMatch(
      /\$\{data\.aws_caller_identity\.[\w-]+\.account_id\}/,
    );
  });
});

describe('DomainService secrets', () => {
  const canary = 'canary-Pa55w0rd-7f3e9c';

  it('refuses a prop through which a literal password could be passed', () => {
    expect(() => synthService({ masterPassword: canary } as never)).toThrow(
      /prop "masterPassword" would put a literal secret into the synthesized Terraform/,
    );
  });

  it('refuses a secret value smuggled into generatedSecrets', () => {
    expect(() =>
      synthService({
        generatedSecrets: [{ name: 'stripe', value: canary }],
      } as never),
    ).toThrow(/generatedSecrets takes secret names only/);
  });

  it('refuses an unknown prop by name', () => {
    expect(() => synthService({ region: 'eu-west-1' } as never)).toThrow(
      /unknown prop "region"/,
    );
  });

  it('stores every generated secret as a reference to a random_password, never as a value', () => {
    const { json, text } = synthService({
      generatedSecrets: ['jwt-signing-key', 'webhook-secret'],
    });
    const versions = resourcesOf(json, 'aws_secretsmanager_secret_version');
    expect(versions).toHaveLength(3);
    for (const version of versions)
      expect(version.secret_string).toMatch(/random_password\.[\w-]+\.result/);
    expect(
      resourcesOf(json, 'aws_secretsmanager_secret')
        .map(s => s.name)
        .sort(),
    ).toEqual([
      'paver/invoices/database',
      'paver/invoices/jwt-signing-key',
      'paver/invoices/webhook-secret',
    ]);
    expect(text).not.toContain(canary);
  });

  it('puts no literal into any password or secret_string attribute', () => {
    const { json } = synthService({ generatedSecrets: ['api-signing-key'] });
    const sensitive = allResources(json).flatMap(({ config }) =>
      Object.entries(config)
        .filter(([key]) => /password$|secret_string$/.test(key))
        .map(([, value]) => value),
    );
    expect(sensitive.length).toBeGreaterThan(0);
    for (const value of sensitive) expect(value).toMatch(/^\$\{.*\}$/s);
  });
});

describe('DomainService props', () => {
  it.each([
    ['Invoices', /name "Invoices" must match/],
    ['admin', /name "admin" is reserved/],
  ])('refuses the service name %s', (name, message) => {
    expect(() => synthService({ name })).toThrow(message);
  });

  it('refuses an owner that is not a Group reference', () => {
    expect(() => synthService({ owner: 'user:default/li.wei' })).toThrow(
      /owner "user:default\/li.wei" is not a Group reference/,
    );
  });
});

describe('DomainService organisation rules', () => {
  it('protects a production database from deletion and tags it for its owner', () => {
    const { json } = synthService({ lifecycle: 'production' });
    const [db] = resourcesOf(json, 'aws_db_instance');
    expect(db).toMatchObject({
      deletion_protection: true,
      storage_encrypted: true,
      multi_az: true,
    });
    expect(db.tags).toEqual({
      owner: 'payments',
      service: 'invoices',
      'managed-by': 'paver',
    });
  });

  it('tags the CI roles and secrets too', () => {
    const { json } = synthService();
    for (const type of ['aws_iam_role', 'aws_secretsmanager_secret']) {
      for (const resource of resourcesOf(json, type))
        expect(resource.tags['managed-by']).toBe('paver');
    }
  });
});
