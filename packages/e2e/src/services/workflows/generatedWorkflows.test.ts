import { readFileSync } from 'node:fs';
import path from 'node:path';
import { CiIdentity, DEFAULT_REQUIRED_CHECKS, Testing } from '@paver/cdktf';
import {
  loadTemplate,
  parseAnswersYaml,
  renderToMemory,
} from '@paver/golden-path';
import { TEST_PLATFORM } from '@paver/test-utils';
import { parse } from 'yaml';
import { REPO_ROOT } from '../../backend/backendProcess';
import { templatesWithFixtures, type FixtureTemplate } from '../golden-paths';
import { runStep } from '../run-step';
import { formatFindings, lintWorkflow } from './actionlint';
import {
  planLocalRun,
  workflowSourcesFromFiles,
  type LocalEvent,
  type PlanOptions,
  type WorkflowSource,
} from './localRun';

// Every golden path's CI as GitHub would meet it on the first pull request and the first push:
// valid by actionlint, and its pull-request jobs exactly the status checks the platform stack
// makes main require (a required check that never starts blocks every merge).

const goldenPaths = templatesWithFixtures(path.join(REPO_ROOT, 'templates'));
const GITHUB = { repository: 'Acme/billing-api', sha: 'c0ffee' };

/**
 * The Actions variables the platform stack writes for a service, by where they live: a job-level
 * `if:` sees repository (and organisation) variables only; a `production` environment's reach
 * only the steps of a job in that environment.
 */
function platformVariables() {
  const json = JSON.parse(
    Testing.synthScope(
      scope =>
        new CiIdentity(scope, 'ci', {
          serviceName: 'billing-api',
          githubOrg: 'acme',
          awsAccountId: '123456789012',
        }),
    ),
  );
  const written = (type: string) =>
    Object.fromEntries(
      Object.values<{ variable_name: string }>(json.resource[type] ?? {}).map(
        variable => [
          variable.variable_name,
          `arn:aws:iam::123456789012:role/x`,
        ],
      ),
    );
  return {
    repository: written('github_actions_variable'),
    environment: written('github_actions_environment_variable'),
  };
}

function renderedWorkflows(template: FixtureTemplate): WorkflowSource[] {
  const files = renderToMemory(
    loadTemplate(template.dir),
    parseAnswersYaml(readFileSync(template.answersFile, 'utf8')),
    { platform: TEST_PLATFORM },
  );
  return workflowSourcesFromFiles(files);
}

function jobNamesFor(
  workflows: WorkflowSource[],
  event: LocalEvent,
  options: Partial<PlanOptions> = {},
): string[] {
  return planLocalRun(workflows, { event, ...GITHUB, ...options })
    .jobs.map(job => job.name)
    .sort();
}

it('finds the golden paths to check', () => {
  expect(goldenPaths.map(template => template.name)).toEqual(
    expect.arrayContaining([
      'auth-service',
      'billing-service',
      'notification-service',
    ]),
  );
});

describe.each(goldenPaths)('the workflows $name generates', template => {
  const workflows = renderedWorkflows(template);
  const requiredChecks = [...DEFAULT_REQUIRED_CHECKS].sort();

  it('are the service CI and the infrastructure workflow', () => {
    expect(workflows.map(w => w.path)).toEqual([
      '.github/workflows/ci.yml',
      '.github/workflows/infra.yml',
    ]);
  });

  it('pass actionlint with no finding', async () => {
    for (const workflow of workflows) {
      expect(formatFindings(await lintWorkflow(workflow))).toBe('');
    }
  });

  it("run on every pull request exactly the checks main's protection requires", () => {
    expect(jobNamesFor(workflows, { name: 'pull_request' })).toEqual(
      requiredChecks,
    );
  });

  it('plan, for a pull request, every step of the service CI and the infra job up to Terraform', () => {
    const localPostgres = 'postgres://paver:paver@127.0.0.1:55432/scratch';
    const plan = planLocalRun(workflows, {
      event: { name: 'pull_request' },
      ...GITHUB,
      services: { postgres: localPostgres },
    });
    const kinds = Object.fromEntries(
      plan.jobs.map(job => [
        job.name,
        job.steps.map(step => `${step.kind}: ${step.name}`),
      ]),
    );
    expect(kinds['lint, test, build, contract']).toEqual([
      'provided: Run actions/checkout@v4',
      'provided: Run actions/setup-node@v4',
      'run: Install',
      'run: NATS server',
      'run: Lint (type check)',
      'run: Test',
      'run: Build',
      'run: Contract check (openapi.yaml matches the routes)',
      'run: SLO rules match slo.yaml',
    ]);
    const test = plan.jobs.find(
      job => job.name === 'lint, test, build, contract',
    );
    expect(test?.steps[2]).toMatchObject({
      env: { DATABASE_URL: localPostgres },
    });
    expect(kinds['infra: synth and plan (no credentials)']).toEqual([
      'provided: Run actions/checkout@v4',
      'run: Refuse committed synth output, state or plans',
      'provided: Run actions/setup-node@v4',
      'run: Run npm ci',
      'run: Test the stack',
      'run: Synthesize',
      'not-runnable: Run hashicorp/setup-terraform@v3',
      'not-runnable: Validate and plan against empty local state',
    ]);
  });

  it('filter no pull-request trigger of a workflow holding a required check by paths', () => {
    const plan = planLocalRun(workflows, {
      event: { name: 'pull_request' },
      ...GITHUB,
    });
    const holdingRequired = new Set(
      plan.jobs
        .filter(job => DEFAULT_REQUIRED_CHECKS.includes(job.name))
        .map(job => job.workflow),
    );
    expect(
      plan.workflows
        .filter(w => holdingRequired.has(w.path))
        .map(w => [w.path, w.pathFilters]),
    ).toEqual([...holdingRequired].map(file => [file, []]));
    // The same from the user's side: a pull request that touches only code still gets every check.
    expect(
      jobNamesFor(workflows, {
        name: 'pull_request',
        changedFiles: ['src/routes.ts'],
      }),
    ).toEqual(requiredChecks);
  });

  it('hold the infra apply back until the platform stack has written the role variables', () => {
    const push: LocalEvent = { name: 'push', branch: 'main' };
    const beforeBootstrap = ['deploy', 'lint, test, build, contract'];
    expect(jobNamesFor(workflows, push)).toEqual(beforeBootstrap);
    const written = platformVariables();
    expect(Object.keys(written.environment)).toEqual([
      'PAVER_AWS_DEPLOY_ROLE_ARN',
    ]);
    // Gating on the environment's variable would hold apply back for ever: the `if:` cannot see it.
    expect(jobNamesFor(workflows, push, { vars: written.environment })).toEqual(
      beforeBootstrap,
    );
    expect(jobNamesFor(workflows, push, { vars: written.repository })).toEqual(
      [...beforeBootstrap, 'infra: apply'].sort(),
    );
  });

  it('put no expression into a run: script, where it could inject shell', () => {
    const scripts = workflows.flatMap(workflow =>
      Object.values(parse(workflow.text).jobs).flatMap((job: any) =>
        (job.steps ?? []).map((step: any) => step.run ?? ''),
      ),
    );
    expect(scripts.filter(script => script.includes('${{'))).toEqual([]);
  });

  it('name the image in lower case, as GHCR requires, whatever the case of the organisation', async () => {
    const ci = parse(workflows.find(w => w.path.endsWith('/ci.yml'))!.text);
    const push = ci.jobs.deploy.steps.find(
      (step: any) => step.name === 'Build and push the image',
    );
    const imageLine = (push.run as string)
      .split('\n')
      .find(line => line.trimStart().startsWith('IMAGE='));
    expect(push.shell).toBe('bash');
    const { output } = await runStep(
      'bash',
      ['-c', `${imageLine}\nprintf %s "$IMAGE"`],
      {
        cwd: REPO_ROOT,
        env: {
          GITHUB_REPOSITORY: 'Acme-Corp/Billing-API',
          GITHUB_SHA: 'c0ffee',
        },
        timeoutMs: 10_000,
      },
    );
    expect(output).toBe('ghcr.io/acme-corp/billing-api:c0ffee');
  });
});

describe('actionlint as used here', () => {
  it('reports an unknown key, a broken expression and a job needing a job that does not exist', async () => {
    const broken = {
      path: '.github/workflows/broken.yml',
      text: `on: pull_request
jobs:
  deploy:
    runs-on: ubuntu-latest
    needs: build
    timeout: 10
    if: github.event_nme == 'push'
    steps:
      - run: echo "\${{ github.sha ) }}"
`,
    };
    const findings = await lintWorkflow(broken);
    expect(findings.map(f => f.kind).sort()).toEqual([
      'expression',
      'expression',
      'job-needs',
      'syntax-check',
    ]);
    expect(formatFindings(findings)).toMatch(
      /^\.github\/workflows\/broken\.yml:\d+:\d+: .*"build" which does not exist/m,
    );
  });
});
