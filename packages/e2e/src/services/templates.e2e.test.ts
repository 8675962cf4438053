import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  loadTemplate,
  parseAnswersYaml,
  renderToMemory,
} from '@paver/golden-path';
import {
  startPaverRegistry,
  startPostgres,
  type PaverRegistry,
  type ThrowawayPostgres,
} from '@paver/test-utils';
import { parseAllDocuments } from 'yaml';
import {
  FIXTURE_ANSWERS,
  renderFixture,
  templatesWithFixtures,
} from './golden-paths';
import { REPO_ROOT } from '../backend/backendProcess';
import { npmEnv } from './npm-env';
import { runStep, StepFailedError } from './run-step';
import { verifyGeneratedService } from './verify-service';

// Every golden path with fixture answers, rendered by the engine and treated as a team would treat
// its new repository: npm install, npm run build, npm test (its own suite, on a real PostgreSQL).
// Sequential on purpose: each install and suite already uses the machine's cores.
const templatesRoot = path.join(REPO_ROOT, 'templates');
const templates = templatesWithFixtures(templatesRoot);
const STEP_TIMEOUT_MS = 8 * 60_000;
const TEMPLATE_TIMEOUT_MS = 10 * 60_000;

describe('golden paths, end to end', () => {
  let postgres: ThrowawayPostgres;
  let registry: PaverRegistry;
  let workRoot: string;
  const timings: string[] = [];

  beforeAll(async () => {
    workRoot = await mkdtemp(path.join(tmpdir(), 'paver-e2e-'));
    postgres = await startPostgres();
    // Serves the freshly built @paver/cdktf that each generated infra/ app depends on.
    registry = await startPaverRegistry();
  }, 5 * 60_000);

  afterAll(async () => {
    await registry?.stop();
    await postgres?.stop();
    if (workRoot) await rm(workRoot, { recursive: true, force: true });
    if (timings.length > 0)
      console.log(`golden-path e2e timings:\n  ${timings.join('\n  ')}`);
  });

  it('finds the golden paths that have fixture answers', () => {
    expect(templates.map(t => t.name)).toContain('auth-service');
  });

  it.each(templates)(
    '$name: renders, installs, builds and passes its own tests',
    async template => {
      const dir = path.join(workRoot, template.name);
      const started = Date.now();
      const files = await renderFixture(template, dir);
      expect(files).toEqual(
        expect.arrayContaining([
          'package.json',
          'src/service.ts',
          'openapi.yaml',
          '.paver/answers.yaml',
        ]),
      );
      const env = npmEnv({
        databaseUrl: postgres.connectionString,
        paverRegistryUrl: registry.url,
      });
      try {
        const steps = await verifyGeneratedService(dir, {
          env,
          stepTimeoutMs: STEP_TIMEOUT_MS,
        });
        const summary = steps
          .map(s => `${s.step.replace(/^npm /, '')} ${s.seconds.toFixed(1)}s`)
          .join(', ');
        timings.push(
          `${template.name}: ${summary}; total ${(
            (Date.now() - started) /
            1000
          ).toFixed(1)}s`,
        );
        expect(steps.at(-1)?.output).toMatch(/Tests\s+.*\d+ passed/);
      } catch (error) {
        if (error instanceof StepFailedError) {
          throw new Error(
            `${template.name} (rendered in ${dir}): ${error.message}`,
          );
        }
        throw error;
      }
    },
    TEMPLATE_TIMEOUT_MS,
  );
});

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

  it("keeps the runner's own vitest variables out of the generated service's environment", () => {
    const env = npmEnv({
      databaseUrl: 'postgres://x',
      paverRegistryUrl: 'http://127.0.0.1:1/',
    });
    expect(Object.keys(env).filter(k => k.startsWith('VITEST'))).toEqual([]);
    expect(env['npm_config_@paver:registry']).toBe('http://127.0.0.1:1/');
    expect(env.PATH?.split(path.delimiter)[0]).toBe(
      path.dirname(process.execPath),
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
  const files = renderToMemory(template, answers);
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
          'paver.dev/template': 'auth-service@1.0.0',
        },
      },
      spec: {
        owner: 'group:default/identity',
        system: 'system:default/identity-platform',
        lifecycle: 'production',
        providesApis: ['auth-api'],
      },
    });
    expect(
      component.metadata.links.map((l: { title: string }) => l.title),
    ).toEqual(['Runbook', 'Dashboard']);
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

  it('marks the platform files as generated, naming the template and version', () => {
    const marked = [...files.keys()].filter(
      f => f.startsWith('src/platform/') || f.startsWith('test/support/'),
    );
    expect(marked.length).toBeGreaterThan(10);
    const harness = marked.filter(
      f => !f.startsWith('test/support/auth-client'),
    );
    for (const file of harness) {
      expect(text(file).split('\n')[0]).toBe(
        '// Generated by Paver from auth-service@1.0.0; edit the template, not this file.',
      );
    }
  });
});
