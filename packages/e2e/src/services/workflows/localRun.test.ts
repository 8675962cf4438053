import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { tempDirSync } from '@paver/test-utils';
import { newUserEnv } from '../newUserEnv';
import {
  planLocalRun,
  planRepository,
  runLocalPlan,
  UnsupportedExpressionError,
  UnsupportedWorkflowFeatureError,
  WorkflowFileError,
  WorkflowStepFailedError,
  type JobPlan,
  type LocalEvent,
  type PlanOptions,
  type WorkflowSource,
} from './localRun';

const PULL_REQUEST: LocalEvent = { name: 'pull_request' };
const PUSH_TO_MAIN: LocalEvent = { name: 'push', branch: 'main' };
const GITHUB = { repository: 'Acme/billing', sha: 'c0ffee' };

function workflow(name: string, text: string): WorkflowSource {
  return { path: `.github/workflows/${name}`, text };
}

function plan(
  sources: WorkflowSource[],
  event: LocalEvent,
  options: Partial<PlanOptions> = {},
) {
  return planLocalRun(sources, { event, ...GITHUB, ...options });
}

const jobNames = (jobs: JobPlan[]) => jobs.map(job => job.name);
const onlyJob = (jobs: JobPlan[]) => {
  expect(jobs).toHaveLength(1);
  return jobs[0];
};

const PR_AND_MAIN = [
  workflow(
    'pr.yml',
    `on: pull_request
jobs:
  check: { name: 'checks the PR', runs-on: ubuntu-latest, steps: [{ run: 'true' }] }
`,
  ),
  workflow(
    'main.yml',
    `on:
  push:
    branches: [main]
jobs:
  ship: { runs-on: ubuntu-latest, steps: [{ run: 'true' }] }
`,
  ),
];

describe('which workflows and jobs an event starts', () => {
  it('starts pull_request workflows for a pull request and push ones for a push to main', () => {
    expect(jobNames(plan(PR_AND_MAIN, PULL_REQUEST).jobs)).toEqual([
      'checks the PR',
    ]);
    expect(jobNames(plan(PR_AND_MAIN, PUSH_TO_MAIN).jobs)).toEqual(['ship']);
    expect(
      plan(PR_AND_MAIN, { name: 'push', branch: 'feature/x' }).jobs,
    ).toEqual([]);
  });

  it("honours a job's if: on event, ref and variables, with && || and parentheses", () => {
    const sources = [
      workflow(
        'ci.yml',
        `on: [pull_request, push]
jobs:
  pr-only: { if: "github.event_name == 'pull_request'", runs-on: x, steps: [{ run: 'true' }] }
  main-only:
    if: \${{ github.event_name == 'push' && github.ref == 'refs/heads/main' }}
    runs-on: x
    steps: [{ run: 'true' }]
  once-bootstrapped:
    if: (github.event_name == 'schedule' || github.event_name == 'push') && vars.ROLE_ARN != ''
    runs-on: x
    steps: [{ run: 'true' }]
`,
      ),
    ];
    expect(jobNames(plan(sources, PULL_REQUEST).jobs)).toEqual(['pr-only']);
    expect(jobNames(plan(sources, PUSH_TO_MAIN).jobs)).toEqual(['main-only']);
    expect(
      jobNames(
        plan(sources, PUSH_TO_MAIN, {
          vars: { ROLE_ARN: 'arn:aws:iam::1:role/x' },
        }).jobs,
      ),
    ).toEqual(['main-only', 'once-bootstrapped']);
  });

  it('takes an event to touch every file unless told which, so paths filters are reported rather than applied', () => {
    const sources = [
      workflow(
        'infra.yml',
        `on:
  pull_request:
    paths: ['infra/**', '!infra/README.md']
jobs:
  plan: { runs-on: x, steps: [{ run: 'true' }] }
`,
      ),
      workflow(
        'docs.yml',
        `on:
  pull_request:
    paths-ignore: ['src/**']
jobs:
  docs: { runs-on: x, steps: [{ run: 'true' }] }
`,
      ),
    ];
    const anyFile = plan(sources, PULL_REQUEST);
    expect(jobNames(anyFile.jobs)).toEqual(['plan', 'docs']);
    expect(anyFile.workflows.map(w => [w.path, w.pathFilters])).toEqual([
      ['.github/workflows/infra.yml', ['paths']],
      ['.github/workflows/docs.yml', ['paths-ignore']],
    ]);
    const touching = (...changedFiles: string[]) =>
      jobNames(plan(sources, { name: 'pull_request', changedFiles }).jobs);
    expect(touching('src/app.ts')).toEqual([]);
    expect(touching('infra/README.md')).toEqual(['docs']);
    expect(touching('src/app.ts', 'infra/README.md')).toEqual(['docs']);
    expect(touching('infra/main.ts')).toEqual(['plan', 'docs']);
  });

  it('skips a job whose needed job does not run, and orders jobs after what they need', () => {
    const sources = [
      workflow(
        'ci.yml',
        `on: [pull_request, push]
jobs:
  deploy: { needs: [test], runs-on: x, steps: [{ run: 'true' }] }
  test: { if: "github.event_name == 'push'", runs-on: x, steps: [{ run: 'true' }] }
  lint: { runs-on: x, steps: [{ run: 'true' }] }
`,
      ),
    ];
    expect(jobNames(plan(sources, PULL_REQUEST).jobs)).toEqual(['lint']);
    expect(jobNames(plan(sources, PUSH_TO_MAIN).jobs)).toEqual([
      'test',
      'deploy',
      'lint',
    ]);
  });

  it('refuses a job needing a job that does not exist, and trigger filters it does not model', () => {
    const dangling = workflow(
      'ci.yml',
      `on: push
jobs:
  deploy: { needs: build, runs-on: x, steps: [{ run: 'true' }] }
`,
    );
    expect(() => plan([dangling], PUSH_TO_MAIN)).toThrow(WorkflowFileError);
    expect(() => plan([dangling], PUSH_TO_MAIN)).toThrow(
      /jobs\.deploy\.needs: names "build", which is not a job/,
    );
    const labelled = workflow(
      'labels.yml',
      `on:
  pull_request:
    types: [labeled]
jobs:
  a: { runs-on: x, steps: [{ run: 'true' }] }
`,
    );
    expect(() => plan([labelled], PULL_REQUEST)).toThrow(
      new UnsupportedWorkflowFeatureError(
        '.github/workflows/labels.yml on.pull_request',
        'types',
      ),
    );
  });
});

describe('the steps of a planned job', () => {
  const ENV_WORKFLOW = workflow(
    'ci.yml',
    `on: push
env:
  ORG: \${{ github.repository_owner }}
  REGION: \${{ vars.REGION || 'eu-west-1' }}
  LEVEL: workflow
  RETRIES: 3
jobs:
  build:
    runs-on: x
    env:
      LEVEL: job
      BUCKET: \${{ env.ORG }}-state
    steps:
      - name: Build \${{ github.sha }}
        working-directory: app
        env:
          LEVEL: step
          TAG: \${{ github.repository }}:\${{ github.sha }}
          SOURCE: \${{ env.BUCKET }}
        run: echo "\${{ github.event_name }} \${{ github.ref }} \${{ env.LEVEL }}"
`,
  );

  it('merges workflow, job and step env (the narrower wins) and evaluates the expressions it knows', () => {
    const [step] = onlyJob(plan([ENV_WORKFLOW], PUSH_TO_MAIN).jobs).steps;
    expect(step).toEqual({
      kind: 'run',
      name: 'Build c0ffee',
      run: 'echo "push refs/heads/main step"',
      workingDirectory: 'app',
      env: {
        ORG: 'Acme',
        REGION: 'eu-west-1',
        LEVEL: 'step',
        RETRIES: '3',
        BUCKET: 'Acme-state',
        TAG: 'Acme/billing:c0ffee',
        SOURCE: 'Acme-state',
      },
    });
    const [withRegion] = onlyJob(
      plan([ENV_WORKFLOW], PUSH_TO_MAIN, { vars: { REGION: 'us-east-2' } })
        .jobs,
    ).steps;
    expect(withRegion).toMatchObject({ env: { REGION: 'us-east-2' } });
  });

  it('refuses an expression outside its subset, naming it and where it is', () => {
    const risky = workflow(
      'ci.yml',
      `on: pull_request
jobs:
  greet:
    runs-on: x
    steps:
      - run: echo "\${{ github.event.pull_request.title }}"
`,
    );
    const attempt = () => plan([risky], PULL_REQUEST);
    expect(attempt).toThrow(UnsupportedExpressionError);
    expect(attempt).toThrow(
      /unsupported expression "github\.event\.pull_request\.title" at \.github\/workflows\/ci\.yml jobs\.greet\.steps\[0\]\.run/,
    );
    const always = workflow(
      'ci.yml',
      `on: push
jobs:
  report: { if: "always()", runs-on: x, steps: [{ run: 'true' }] }
`,
    );
    expect(() => plan([always], PUSH_TO_MAIN)).toThrow(
      /unsupported expression "always\(\)" at \.github\/workflows\/ci\.yml jobs\.report\.if: function calls/,
    );
  });

  it("points env at the caller's server where it names a service container's published port", () => {
    const withPostgres = workflow(
      'ci.yml',
      `on: pull_request
jobs:
  test:
    runs-on: x
    services:
      postgres: { image: 'postgres:15', ports: ['5432:5432'] }
    env:
      DATABASE_URL: postgres://ci:ci@localhost:5432/ci
      CACHE_URL: redis://localhost:6379
    steps:
      - run: npm test
`,
    );
    const localUrl = 'postgres://paver:secret@127.0.0.1:41234/scratch';
    const job = onlyJob(
      plan([withPostgres], PULL_REQUEST, { services: { postgres: localUrl } })
        .jobs,
    );
    expect(job.steps[0]).toMatchObject({
      env: { DATABASE_URL: localUrl, CACHE_URL: 'redis://localhost:6379' },
    });
    const without = onlyJob(plan([withPostgres], PULL_REQUEST).jobs);
    expect(without.runnable).toBe(false);
    expect(without.notRunnableReason).toMatch(
      /needs the "postgres" service container \(postgres:15\)/,
    );
  });

  it.each([
    ['an OIDC token', 'permissions: { id-token: write }', /OIDC token/],
    ['a secret', 'env: { TOKEN: "${{ secrets.NPM_TOKEN }}" }', /reads secrets/],
    ['an environment', 'environment: production', /environment "production"/],
  ])(
    'marks a job needing %s not runnable, and evaluates none of it',
    (_, setting, reason) => {
      const cloudy = workflow(
        'deploy.yml',
        `on: push
jobs:
  deploy:
    runs-on: x
    ${setting}
    steps:
      - name: Ship
        run: echo "\${{ github.event.head_commit.message }}"
`,
      );
      const job = onlyJob(plan([cloudy], PUSH_TO_MAIN).jobs);
      expect(job.runnable).toBe(false);
      expect(job.notRunnableReason).toMatch(reason);
      expect(job.steps).toEqual([
        { kind: 'not-runnable', name: 'Ship', reason: job.notRunnableReason },
      ]);
    },
  );

  it('stands in for checkout and setup-node, and stops at any other action: it and every later step are not runnable', () => {
    const terraform = workflow(
      'infra.yml',
      `on: pull_request
jobs:
  plan:
    runs-on: x
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-node@v4
        with: { node-version: 22 }
      - name: Synthesize
        run: node main.ts
      - uses: hashicorp/setup-terraform@v3
      - name: Plan
        run: terraform plan
`,
    );
    const { steps } = onlyJob(plan([terraform], PULL_REQUEST).jobs);
    expect(steps.map(step => [step.name, step.kind])).toEqual([
      ['Run actions/checkout@v4', 'provided'],
      ['Run actions/setup-node@v4', 'provided'],
      ['Synthesize', 'run'],
      ['Run hashicorp/setup-terraform@v3', 'not-runnable'],
      ['Plan', 'not-runnable'],
    ]);
    expect(steps[3]).toMatchObject({
      reason: expect.stringMatching(
        /^needs hashicorp\/setup-terraform, which has no local stand-in/,
      ),
    });
    expect(steps[4]).toMatchObject({
      reason: expect.stringMatching(
        /^comes after "Run hashicorp\/setup-terraform@v3", which cannot run here: needs hashicorp\/setup-terraform/,
      ),
    });
  });
});

describe('running the planned steps', () => {
  function repositoryWith(workflowText: string): string {
    const repo = tempDirSync('local-run-');
    mkdirSync(path.join(repo, '.github/workflows'), { recursive: true });
    mkdirSync(path.join(repo, 'app'));
    writeFileSync(path.join(repo, '.github/workflows/ci.yml'), workflowText);
    return repo;
  }

  const run = (repo: string, event: LocalEvent = PULL_REQUEST) =>
    runLocalPlan(planRepository(repo, { event, ...GITHUB }), {
      repoDir: repo,
      baseEnv: newUserEnv(),
      timeoutMs: 30_000,
    });

  it("runs the steps in order, each in its working directory, with the step's env and GitHub's variables", async () => {
    process.env.PAVER_LOCAL_RUN_LEAK = 'must not reach a step';
    const repo = repositoryWith(`on: pull_request
env:
  GREETING: hello
jobs:
  test:
    name: lint and test
    runs-on: x
    steps:
      - uses: actions/checkout@v4
      - name: first
        run: echo "first $(pwd) $GREETING" >> "$GITHUB_WORKSPACE/log"
      - name: second
        working-directory: app
        run: |
          echo "second $(pwd)" >> ../log
          echo "$CI $GITHUB_ACTIONS $GITHUB_REPOSITORY $GITHUB_SHA $GITHUB_EVENT_NAME \${PAVER_LOCAL_RUN_LEAK:-clean}" >> ../log
`);
    try {
      const outcomes = await run(repo);
      expect(outcomes.map(o => [o.job, o.step, o.outcome])).toEqual([
        ['lint and test', 'Run actions/checkout@v4', 'provided'],
        ['lint and test', 'first', 'passed'],
        ['lint and test', 'second', 'passed'],
      ]);
    } finally {
      delete process.env.PAVER_LOCAL_RUN_LEAK;
    }
    expect(readFileSync(path.join(repo, 'log'), 'utf8').split('\n')).toEqual([
      `first ${repo} hello`,
      `second ${path.join(repo, 'app')}`,
      'true true Acme/billing c0ffee pull_request clean',
      '',
    ]);
  });

  it('stops at the first failing step, naming workflow, job and step with its output', async () => {
    const repo = repositoryWith(`on: pull_request
jobs:
  test:
    name: lint, test, build
    runs-on: x
    steps:
      - name: Test
        run: |
          echo "running 12 tests"
          false | cat
          echo "not reached"
      - name: Build
        run: touch built
`);
    const failure = run(repo);
    await expect(failure).rejects.toThrow(WorkflowStepFailedError);
    await expect(failure).rejects.toThrow(
      /^workflow \.github\/workflows\/ci\.yml, job "lint, test, build", step "Test" failed \(exit 1\):\nrunning 12 tests$/,
    );
    expect(() => readFileSync(path.join(repo, 'built'))).toThrow(/ENOENT/);
  });

  it('reports the steps it cannot run with their reason instead of running them', async () => {
    const repo = repositoryWith(`on: pull_request
jobs:
  plan:
    runs-on: x
    steps:
      - run: touch synthesized
      - uses: hashicorp/setup-terraform@v3
      - run: touch planned
`);
    const outcomes = await run(repo);
    expect(outcomes.map(o => [o.step, o.outcome])).toEqual([
      ['Run touch synthesized', 'passed'],
      ['Run hashicorp/setup-terraform@v3', 'not run'],
      ['Run touch planned', 'not run'],
    ]);
    expect(readFileSync(path.join(repo, 'synthesized'), 'utf8')).toBe('');
    expect(() => readFileSync(path.join(repo, 'planned'))).toThrow(/ENOENT/);
  });
});
