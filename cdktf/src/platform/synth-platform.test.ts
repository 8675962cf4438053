import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { CatalogEntityError, CatalogReadError } from '../errors';
import {
  component,
  fixtureCatalog,
  group,
  healthyCatalog,
} from '../__testUtils__/catalog-fixtures';
import { synthPlatform } from './synth-platform';

const fixtures: Array<{ remove(): Promise<void> }> = [];
afterEach(async () => {
  await Promise.all(fixtures.splice(0).map(f => f.remove()));
});

async function catalog(files: Record<string, string>) {
  const fixture = await fixtureCatalog(files);
  fixtures.push(fixture);
  return { catalogDir: fixture.dir, outdir: path.join(fixture.root, 'out') };
}

async function stackJson(outdir: string, stack: string) {
  return JSON.parse(
    await readFile(path.join(outdir, 'stacks', stack, 'cdk.tf.json'), 'utf8'),
  );
}

describe('synthPlatform from a catalog folder', () => {
  it('synthesizes one stack per Component and a teams stack for their owners', async () => {
    const options = await catalog(healthyCatalog);
    const result = await synthPlatform({ ...options, githubOrg: 'acme' });
    expect(result.stacks).toEqual([
      'platform-teams',
      'component-default-accounts',
      'component-default-invoices',
    ]);

    const teams = await stackJson(options.outdir, 'platform-teams');
    expect(
      Object.values(teams.resource.github_team)
        .map((t: any) => t.name)
        .sort(),
    ).toEqual(['identity', 'payments']);

    const invoices = await stackJson(
      options.outdir,
      'component-default-invoices',
    );
    expect(Object.values(invoices.resource.github_repository)).toEqual([
      expect.objectContaining({ name: 'invoices' }),
    ]);
    expect(Object.values(invoices.resource.github_team_repository)).toEqual([
      expect.objectContaining({
        team_id: 'payments',
        permission: 'maintain',
        repository: expect.stringContaining('github_repository'),
      }),
    ]);
    expect(Object.keys(invoices.resource.aws_iam_role)).toHaveLength(2);
    expect(invoices.terraform.backend.s3.key).toBe(
      'platform/components/default/invoices/terraform.tfstate',
    );
  });

  const ISSUER =
    'https://oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE';
  const ISSUER_HOST = ISSUER.slice('https://'.length);

  it("gives each Component the role its pods run as, once the cluster's OIDC issuer is known", async () => {
    const options = await catalog({
      'groups/payments.yaml': group('payments'),
      'components/invoices.yaml': component(
        'invoices',
        'group:default/payments',
        '    paver.dev/datastore: dynamodb\n',
      ),
      'components/ledger.yaml': component(
        'ledger',
        'group:default/payments',
        '    paver.dev/datastore: postgres\n',
      ),
    });
    await synthPlatform({
      ...options,
      githubOrg: 'acme',
      awsAccountId: '123456789012',
      eksOidcIssuer: ISSUER,
      k8sNamespace: 'payments',
    });
    const invoices = await stackJson(
      options.outdir,
      'component-default-invoices',
    );
    const roles = Object.values(invoices.resource.aws_iam_role) as {
      name: string;
      assume_role_policy: string;
    }[];
    const runtime = roles.find(role => role.name === 'invoices-runtime')!;
    expect(JSON.parse(runtime.assume_role_policy).Statement).toEqual([
      {
        Effect: 'Allow',
        Principal: {
          Federated: `arn:aws:iam::123456789012:oidc-provider/${ISSUER_HOST}`,
        },
        Action: 'sts:AssumeRoleWithWebIdentity',
        Condition: {
          StringEquals: {
            [`${ISSUER_HOST}:aud`]: 'sts.amazonaws.com',
            [`${ISSUER_HOST}:sub`]: 'system:serviceaccount:payments:invoices',
          },
        },
      },
    ]);
    // A DynamoDB service may use its own table's items, and nothing else.
    const policies = Object.values(invoices.resource.aws_iam_role_policy) as {
      name: string;
      policy: string;
    }[];
    const [tableAccess] = policies
      .filter(p => p.name === 'own-table-items')
      .map(p => JSON.parse(p.policy).Statement);
    expect(tableAccess).toHaveLength(1);
    expect(tableAccess[0].Resource).toEqual([
      'arn:aws:dynamodb:*:123456789012:table/invoices',
      'arn:aws:dynamodb:*:123456789012:table/invoices/index/*',
    ]);
    // Items only: no wildcard, and no action on the table itself but reading its description.
    expect(
      (tableAccess[0].Action as string[]).filter(
        action => action.includes('*') || /Table$/.test(action),
      ),
    ).toEqual(['dynamodb:DescribeTable']);
    expect(
      Object.values(invoices.resource.github_actions_environment_variable).map(
        (v: any) => [v.variable_name, v.environment],
      ),
    ).toContainEqual(['PAVER_RUNTIME_ROLE_ARN', 'production']);

    // An RDS service's pods call AWS for nothing: their credentials come through the ExternalSecret.
    const ledger = await stackJson(options.outdir, 'component-default-ledger');
    expect(
      (Object.values(ledger.resource.aws_iam_role) as { name: string }[])
        .map(r => r.name)
        .sort(),
    ).toEqual(['ledger-ci-deploy', 'ledger-ci-plan', 'ledger-runtime']);
    expect(
      (
        Object.values(ledger.resource.aws_iam_role_policy) as { name: string }[]
      ).map(p => p.name),
    ).not.toContain('own-table-items');
  });

  it('makes no runtime role without the issuer, and refuses one that is not an https URL', async () => {
    const options = await catalog(healthyCatalog);
    await synthPlatform({ ...options, githubOrg: 'acme' });
    const invoices = await stackJson(
      options.outdir,
      'component-default-invoices',
    );
    expect(
      (Object.values(invoices.resource.aws_iam_role) as { name: string }[]).map(
        r => r.name,
      ),
    ).not.toContain('invoices-runtime');
    await expect(
      synthPlatform({
        ...options,
        githubOrg: 'acme',
        eksOidcIssuer: 'oidc.eks.example/id/1',
      }),
    ).rejects.toThrow(
      'clusterOidcIssuer must be the cluster\'s https OIDC issuer URL, got "oidc.eks.example/id/1"',
    );
  });

  it('names the repository after the github.com/project-slug annotation when present', async () => {
    const options = await catalog({
      'groups/payments.yaml': group('payments'),
      'c.yaml': component(
        'invoices',
        'payments',
        '    github.com/project-slug: acme/invoice-service\n',
      ),
    });
    await synthPlatform(options);
    const stack = await stackJson(options.outdir, 'component-default-invoices');
    expect(Object.values(stack.resource.github_repository)).toEqual([
      expect.objectContaining({ name: 'invoice-service' }),
    ]);
  });

  it('fails naming the Component whose owner Group does not exist', async () => {
    const options = await catalog({
      'groups/payments.yaml': group('payments'),
      'foo.yaml': component('foo', 'group:default/ghost'),
    });
    await expect(synthPlatform(options)).rejects.toThrow(
      'component:default/foo: owner group:default/ghost does not exist',
    );
  });

  it('fails naming the Component whose name is not a valid GitHub repository name', async () => {
    const options = await catalog({
      'groups/payments.yaml': group('payments'),
      'bad.yaml': component('bad name!', 'payments'),
    });
    await expect(synthPlatform(options)).rejects.toThrow(
      'component:default/bad name!: repository name "bad name!" is not a valid GitHub repository name',
    );
  });

  it('reports every broken Component at once and writes no stack', async () => {
    const options = await catalog({
      ...healthyCatalog,
      'foo.yaml': component('foo', 'ghost'),
      'bar.yaml': component(
        'bar',
        'payments',
        '    github.com/project-slug: acme/bar.git\n',
      ),
    });
    const error = await synthPlatform(options).catch(e => e);
    expect(error).toBeInstanceOf(CatalogEntityError);
    expect(error.problems).toEqual([
      'component:default/bar: repository name "bar.git" is reserved by GitHub',
      'component:default/foo: owner group:default/ghost does not exist',
    ]);
    await expect(
      readFile(path.join(options.outdir, 'manifest.json')),
    ).rejects.toThrow(/ENOENT/);
  });

  it('refuses two Components claiming one repository', async () => {
    const options = await catalog({
      'groups/payments.yaml': group('payments'),
      'a.yaml': component('invoices', 'payments'),
      'b.yaml': component(
        'billing',
        'payments',
        '    github.com/project-slug: acme/invoices\n',
      ),
    });
    await expect(synthPlatform(options)).rejects.toThrow(
      'component:default/billing: repository "invoices" is already claimed by component:default/invoices',
    );
  });

  it('synthesizes only the teams stack for a catalog with no Components', async () => {
    const options = await catalog({
      'groups/payments.yaml': group('payments'),
    });
    expect((await synthPlatform(options)).stacks).toEqual(['platform-teams']);
  });

  it('refuses a YAML alias bomb with bounded work', async () => {
    const bomb = [
      'a: &a [x, x, x, x, x, x, x, x, x, x]',
      ...'bcdefghi'
        .split('')
        .map(
          (k, i) =>
            `${k}: &${k} [${Array(10).fill(`*${'abcdefghi'[i]}`).join(', ')}]`,
        ),
    ].join('\n');
    const options = await catalog({
      'bomb.yaml': `kind: Group\nmetadata: {name: x}\n${bomb}\n`,
    });
    const error = await synthPlatform(options).catch(e => e);
    expect(error).toBeInstanceOf(CatalogReadError);
    expect(error.message).toMatch(/bomb\.yaml .*alias/i);
  });

  it('refuses both or neither of catalogDir and catalogUrl', async () => {
    await expect(synthPlatform({ outdir: '/tmp/unused' })).rejects.toThrow(
      /exactly one of catalogDir and catalogUrl/,
    );
  });
});
