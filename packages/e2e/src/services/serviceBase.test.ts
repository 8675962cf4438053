import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  loadTemplate,
  parseAnswersYaml,
  renderToMemory,
} from '@paver/golden-path';
import { TEST_PLATFORM } from '@paver/test-utils';
import { parse, parseAllDocuments } from 'yaml';
import { FIXTURE_ANSWERS } from './golden-paths';
import { REPO_ROOT } from '../backend/backendProcess';
import { runStep, StepFailedError } from './run-step';

// How service-base comes out of the engine inside a golden path, file by file; the golden paths
// installed, tested and run from a plain clone are newUser.e2e.test.ts.
const templatesRoot = path.join(REPO_ROOT, 'templates');

describe('the end-to-end runner', () => {
  it('names the failing step and shows its output', async () => {
    const failing = runStep(
      process.execPath,
      [
        '-e',
        'console.log("compiling…"); console.error("TS2322: boom"); process.exit(3)',
      ],
      {
        cwd: __dirname,
        env: process.env,
        timeoutMs: 30_000,
      },
    );
    await expect(failing).rejects.toThrow(StepFailedError);
    await expect(failing).rejects.toThrow(
      /step ".*node -e .*" failed \(exit 3\):\n[\s\S]*compiling…[\s\S]*TS2322: boom/,
    );
  });
});

describe('service-base as rendered into a golden path', () => {
  // Answers that try to break out of JSON, YAML and Handlebars; they must come out as plain text.
  const hostile =
    'Tokens for "everyone" {{values.name}} ${process.env.X} #not-a-comment: yes';
  const template = loadTemplate(path.join(templatesRoot, 'auth-service'));
  const answers = {
    ...parseAnswersYaml(
      readFileSync(path.join(template.dir, FIXTURE_ANSWERS), 'utf8'),
    ),
    description: hostile,
  };
  const files = renderToMemory(template, answers, { platform: TEST_PLATFORM });
  const text = (file: string) => {
    const content = files.get(file);
    if (!content) throw new Error(`${file} was not rendered`);
    return content.toString('utf8');
  };
  const yamlDocs = (file: string) =>
    parseAllDocuments(text(file)).map(d => {
      expect(d.errors).toEqual([]);
      return d.toJS();
    });

  it('writes package.json as valid JSON holding the answers verbatim', () => {
    const pkg = JSON.parse(text('package.json'));
    expect(pkg).toMatchObject({
      name: 'auth-api',
      description: hostile,
      type: 'module',
    });
    expect(Object.keys(pkg.scripts)).toEqual(
      expect.arrayContaining(['build', 'test', 'start', 'lint', 'contract']),
    );
  });

  it('writes catalog-info.yaml as a Component providing an API defined by openapi.yaml', () => {
    const [component, api] = yamlDocs('catalog-info.yaml');
    expect(component).toMatchObject({
      kind: 'Component',
      metadata: {
        name: 'auth-api',
        description: hostile,
        annotations: {
          'paver.dev/slo': 'slo.yaml',
          'paver.dev/oncall': 'identity-primary',
          'paver.dev/template': 'auth-service@3.0.0',
        },
      },
      spec: {
        owner: 'group:default/identity',
        system: 'system:default/identity-platform',
        lifecycle: 'production',
        providesApis: ['auth-api', 'auth-api-events'],
      },
    });
    // The runbook link is the catalog's, resolved from the annotation against the repository.
    expect(component.metadata.links).toEqual([
      {
        url: 'http://127.0.0.1:9/dashboards/auth-api',
        title: 'Dashboard',
        icon: 'dashboard',
      },
    ]);
    expect(api).toMatchObject({
      kind: 'API',
      metadata: { name: 'auth-api' },
      spec: { type: 'openapi', definition: { $text: './openapi.yaml' } },
    });
  });

  it('writes slo.yaml as OpenSLO v1 availability and latency objectives for the service', () => {
    const docs = yamlDocs('slo.yaml');
    expect(
      docs.map(d => `${d.apiVersion} ${d.kind} ${d.metadata.name}`),
    ).toEqual([
      'openslo/v1 Service auth-api',
      'openslo/v1 SLO auth-api-availability',
      'openslo/v1 SLO auth-api-latency',
    ]);
    for (const slo of docs.slice(1)) {
      expect(slo.spec.service).toBe('auth-api');
      expect(slo.spec.objectives[0].target).toBeGreaterThan(0.9);
      expect(slo.spec.objectives[0].target).toBeLessThan(1);
    }
  });

  it('sends @paver packages to the registry the platform names, and nothing else', () => {
    expect(text('.npmrc')).toMatch(
      /^@paver:registry=http:\/\/127\.0\.0\.1:9\/paver-npm\/$/m,
    );
    expect(text('.npmrc')).not.toMatch(/^registry=/m);
  });

  it('leaves the dashboard link out when the platform has no dashboard pattern', () => {
    const bare = renderToMemory(template, answers, {
      platform: { ...TEST_PLATFORM, dashboardUrlPattern: null },
    });
    const [component] = parseAllDocuments(
      bare.get('catalog-info.yaml')!.toString('utf8'),
    ).map(d => d.toJS());
    expect(component.metadata.links).toBeUndefined();
    expect(bare.get('docs/runbook.md')!.toString('utf8')).toContain(
      'No dashboard is configured',
    );
  });

  it("names the owner Group's GitHub team as code owner, or nobody where there is no organisation", () => {
    expect(text('CODEOWNERS')).toMatch(/^\* @acme\/identity$/m);
    const local = renderToMemory(template, answers, {
      platform: { ...TEST_PLATFORM, githubOrg: null },
    });
    const rules = local
      .get('CODEOWNERS')!
      .toString('utf8')
      .split('\n')
      .filter(line => line.trim() && !line.startsWith('#'));
    expect(rules).toEqual([]);
  });

  it('names no placeholder host in any generated file', () => {
    const placeholders = [...files]
      .filter(([, content]) =>
        /\b[\w.-]*example\.(com|org|net)\b/.test(content.toString('utf8')),
      )
      .map(([file]) => file)
      .filter(file => !file.startsWith('test/'));
    expect(placeholders).toEqual([]);
  });

  it('copies the CI workflow byte for byte, GitHub expressions intact', () => {
    const source = readFileSync(
      path.join(
        templatesRoot,
        '_fragments/service-base/.github/workflows/ci.yml',
      ),
    );
    expect(files.get('.github/workflows/ci.yml')?.equals(source)).toBe(true);
    expect(text('.github/workflows/ci.yml')).toContain('${{ github.ref }}');
    const [workflow] = yamlDocs('.github/workflows/ci.yml');
    expect(workflow.permissions).toEqual({ contents: 'read' });
    expect(workflow.jobs.test.services.postgres.image).toBe('postgres:15');
  });

  it('marks the files service-base generates, naming the template and version', () => {
    const generated = [
      'src/app.ts',
      'src/event-contract.ts',
      'src/main.ts',
      'test/contract.test.ts',
      'test/support/global-setup.ts',
      'test/support/harness.ts',
    ];
    for (const file of generated) {
      expect(text(file).split('\n')[0], file).toBe(
        '// Generated by Paver from auth-service@3.0.0; edit the template, not this file.',
      );
    }
  });

  it('ships the Prometheus rules its slo.yaml generates, and checks them in CI', () => {
    const rules = parse(text('slo-rules.yaml'));
    const alerts = rules.groups.flatMap((g: { rules: { alert?: string }[] }) =>
      g.rules.flatMap(r => (r.alert ? [r.alert] : [])),
    );
    expect(alerts).toContain('SloErrorBudgetBurnPage');
    expect(alerts).toContain('SloErrorBudgetBurnTicket');
    expect(text('slo.yaml')).toContain('[{{.window}}]');
    const manifest = JSON.parse(text('package.json'));
    expect(manifest.scripts['slo:check']).toBe('paver-slo generate --check');
    expect(text('.github/workflows/ci.yml')).toContain(
      'run: npm run slo:check',
    );
  });

  it('runs on the versioned service runtime instead of carrying a copy of it', () => {
    expect(
      [...files.keys()].filter(f => f.startsWith('src/platform/')),
    ).toEqual([]);
    const manifest = JSON.parse(text('package.json'));
    expect(manifest.dependencies['@paver/service-runtime']).toMatch(/^\^1\./);
    expect(text('src/app.ts')).toContain("from '@paver/service-runtime'");
  });
});
