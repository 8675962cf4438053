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
