import { execFile } from 'node:child_process';
import {
  copyFile,
  mkdir,
  readdir,
  readFile,
  rm,
  writeFile,
} from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { compileTemplate, type GeneratedSecret } from '@paver/golden-path';
import { TEST_PLATFORM } from '@paver/test-utils';
import { compileForTest, packageRoot } from '../__testUtils__/build';

const run = promisify(execFile);
const repoRoot = path.resolve(packageRoot, '..');
const fragmentDir = path.join(repoRoot, 'templates/_fragments/infra');

/** Renders the fragment as the engine does: `.hbs` files through Handlebars, the rest byte for byte. */
async function renderFragment(
  into: string,
  values: Record<string, string>,
  generatedSecrets: GeneratedSecret[] = [],
): Promise<void> {
  const context = {
    values,
    template: {
      name: 'fixture-service',
      version: '1.0.0',
      generatedSecrets,
      eventSources: [],
    },
    platform: TEST_PLATFORM,
  };
  for (const entry of await readdir(fragmentDir, {
    recursive: true,
    withFileTypes: true,
  })) {
    if (!entry.isFile()) continue;
    const source = path.join(entry.parentPath, entry.name);
    const relative = path.relative(fragmentDir, source);
    const target = path.join(into, relative.replace(/\.hbs$/, ''));
    await mkdir(path.dirname(target), { recursive: true });
    if (!relative.endsWith('.hbs')) await copyFile(source, target);
    else
      await writeFile(
        target,
        compileTemplate(await readFile(source, 'utf8'), { source: relative })(
          context,
        ),
      );
  }
}

/**
 * A generated service in miniature, under dist/ so `cdktf` and `vitest` resolve from the
 * monorepo: the rendered fragment, `"type": "module"`, and @paver/cdktf compiled in node_modules.
 */
async function generatedService(
  name: string,
  values: Record<string, string>,
  generatedSecrets: GeneratedSecret[] = [],
) {
  const root = path.join(
    packageRoot,
    'dist',
    `.test-fragment-${name}-${process.pid}`,
  );
  const installed = path.join(root, 'node_modules/@paver/cdktf');
  await compileForTest(name, path.join(installed, 'dist'));
  await writeFile(
    path.join(installed, 'package.json'),
    JSON.stringify({ name: '@paver/cdktf', main: 'dist/index.js' }),
  );
  await writeFile(
    path.join(root, 'package.json'),
    JSON.stringify({ name: values.name, type: 'module' }),
  );
  // What service-base's vitest config needs to run the infra test (see the report).
  await writeFile(
    path.join(root, 'vitest.config.mjs'),
    "export default { test: { include: ['infra/**/*.test.ts'], globals: true } };\n",
  );
  await renderFragment(root, values, generatedSecrets);
  return { root, remove: () => rm(root, { recursive: true, force: true }) };
}

/** Runs the service's infra app as CI's pull-request plan does (plain node, offline); its stack. */
async function synthOffline(root: string) {
  const infra = path.join(root, 'infra');
  await run(process.execPath, ['--experimental-strip-types', 'main.ts'], {
    cwd: infra,
    env: { ...process.env, PAVER_INFRA_OFFLINE: '1' },
  });
  return JSON.parse(
    await readFile(
      path.join(infra, 'cdktf.out/stacks/billing-api/cdk.tf.json'),
      'utf8',
    ),
  );
}

const answers = {
  name: 'billing-api',
  description: 'Bills "customers" for plans {{and}} ${usage} */',
  owner: 'group:default/payments',
  system: 'system:default/billing',
  lifecycle: 'production',
  datastore: 'postgres',
  oncall: 'payments-primary',
};

describe('the infra fragment in a generated service', () => {
  it.each([
    ['postgres in production', answers],
    [
      'dynamodb while experimental',
      {
        ...answers,
        name: 'events-store',
        datastore: 'dynamodb',
        lifecycle: 'experimental',
      },
    ],
  ])(
    'renders an app whose own tests pass for %s',
    async (_label, values) => {
      const service = await generatedService(values.name, values);
      try {
        const vitest = path.join(repoRoot, 'node_modules/vitest/vitest.mjs');
        const { stdout } = await run(
          process.execPath,
          [vitest, 'run', '--root', service.root],
          { cwd: service.root },
        );
        expect(stdout).toMatch(/Tests\s+.*7 passed/);
      } finally {
        await service.remove();
      }
    },
    120_000,
  );

  it('synthesizes with plain node and writes the answers as data, not code', async () => {
    const service = await generatedService('plain-node', answers);
    try {
      const stack = await synthOffline(service.root);
      expect(stack.terraform.backend).toHaveProperty('local');
      expect(Object.values(stack.resource.aws_db_instance)).toEqual([
        expect.objectContaining({ identifier: 'billing-api' }),
      ]);
      const main = await readFile(
        path.join(service.root, 'infra/main.ts'),
        'utf8',
      );
      expect(main).toContain(
        `description: ${JSON.stringify(answers.description)},`,
      );
    } finally {
      await service.remove();
    }
  }, 120_000);

  it("stores the golden path's generated secrets under the service's prefix", async () => {
    const service = await generatedService('with-secrets', answers, [
      { env: 'KEYS_ADMIN_TOKEN', name: 'keys-admin-token' },
      { env: 'INTROSPECTION_TOKEN', name: 'introspection-token' },
    ]);
    try {
      const stack = await synthOffline(service.root);
      const names = Object.values(
        stack.resource.aws_secretsmanager_secret as Record<
          string,
          { name: string }
        >,
      ).map(secret => secret.name);
      expect(names.sort()).toEqual([
        'paver/billing-api/database',
        'paver/billing-api/introspection-token',
        'paver/billing-api/keys-admin-token',
      ]);
    } finally {
      await service.remove();
    }
  }, 120_000);

  it('ships the workflow untouched, with GitHub expressions intact', async () => {
    const workflow = await readFile(
      path.join(fragmentDir, '.github/workflows/infra.yml'),
      'utf8',
    );
    expect(workflow).toContain('${{ vars.PAVER_AWS_DEPLOY_ROLE_ARN }}');
    expect(workflow).toMatch(
      /apply:[\s\S]*environment: production[\s\S]*id-token: write/,
    );
    expect(workflow).toMatch(
      /plan-pull-request:[\s\S]*permissions:\s*\n\s*contents: read\s*\n\s*env:/,
    );
    expect(workflow).toContain('-detailed-exitcode');
  });
});
