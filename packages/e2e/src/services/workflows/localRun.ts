import path from 'node:path';
import { runStep, StepFailedError } from '../run-step';
import { WorkflowStepFailedError } from './errors';
import type { ExpressionContext, GithubValues } from './expressions';
import { planJob, type JobPlan, type ServiceUrls } from './planJob';
import type { RunStepPlan } from './planSteps';
import { selectJobs } from './selectJobs';
import { pathFilterKeys, workflowRunsFor, type LocalEvent } from './triggers';
import {
  parseWorkflow,
  readWorkflowSources,
  type WorkflowSource,
} from './workflowFiles';

// A local stand-in for GitHub Actions, for the generated services' own workflows: which jobs a
// pull request or a push to main starts, and the `run:` steps of those jobs run here in order.
// It models only what those workflows use and refuses the rest by name, so it never guesses.

export type { LocalEvent } from './triggers';
export type { JobPlan, ServiceUrls } from './planJob';
export type { StepPlan, RunStepPlan } from './planSteps';
export type { WorkflowSource } from './workflowFiles';
export { readWorkflowSources, workflowSourcesFromFiles } from './workflowFiles';
export * from './errors';

export interface PlanOptions {
  event: LocalEvent;
  /** `owner/name`, as GitHub spells it (github.repository). */
  repository: string;
  /** The commit the run is for (github.sha). */
  sha: string;
  /**
   * Repository and organisation Actions variables (vars.NAME); an unset one reads as '', as on
   * GitHub. Environment variables are not modelled: they reach only the steps of a job in that
   * environment, and such a job never runs here; a job-level `if:` cannot see them on GitHub either.
   */
  vars?: Readonly<Record<string, string>>;
  /** Local stand-ins for service containers: `{ postgres: 'postgres://…' }`. */
  services?: ServiceUrls;
}

/** The workflows an event starts, with the paths filters on their trigger. */
export interface StartedWorkflow {
  path: string;
  name: string;
  /** `paths` / `paths-ignore` on the trigger: with them, a change elsewhere starts nothing. */
  pathFilters: string[];
}

export interface LocalRunPlan {
  event: LocalEvent;
  github: GithubValues;
  workflows: StartedWorkflow[];
  /** The jobs that would run, workflow by workflow, each after the jobs it needs. */
  jobs: JobPlan[];
}

/** Which jobs `options.event` starts across `sources`, and what each would run. */
export function planLocalRun(
  sources: readonly WorkflowSource[],
  options: PlanOptions,
): LocalRunPlan {
  const github = githubValues(options);
  const context: ExpressionContext = { github, vars: options.vars ?? {} };
  const started = sources
    .map(parseWorkflow)
    .filter(workflow => workflowRunsFor(workflow, options.event));
  return {
    event: options.event,
    github,
    workflows: started.map(workflow => ({
      path: workflow.path,
      name: workflow.name,
      pathFilters: pathFilterKeys(workflow, options.event.name),
    })),
    jobs: started.flatMap(workflow =>
      selectJobs(workflow, context).map(id =>
        planJob(workflow, id, context, options.services ?? {}),
      ),
    ),
  };
}

/** {@link planLocalRun} over a repository folder's `.github/workflows`. */
export function planRepository(
  repoDir: string,
  options: PlanOptions,
): LocalRunPlan {
  return planLocalRun(readWorkflowSources(repoDir), options);
}

export interface RunOptions {
  /** The clone the workflows belong to; `working-directory` is relative to it. */
  repoDir: string;
  /** A clean environment (PATH, HOME, CA settings): nothing of this process leaks into a step. */
  baseEnv: NodeJS.ProcessEnv;
  /** A step's limit when its workflow sets no timeout-minutes. @default 10 minutes */
  timeoutMs?: number;
}

export interface StepOutcome {
  workflow: string;
  job: string;
  step: string;
  outcome: 'passed' | 'provided' | 'not run';
  /** Why a step did not run here. */
  reason?: string;
  output?: string;
}

/**
 * Runs the plan's `run:` steps in order with `bash -e -o pipefail -c`, job after job; steps the
 * plan marks provided or not runnable are reported, not run. Stops at the first failure with a
 * {@link WorkflowStepFailedError} naming workflow, job and step.
 */
export async function runLocalPlan(
  plan: LocalRunPlan,
  options: RunOptions,
): Promise<StepOutcome[]> {
  const outcomes: StepOutcome[] = [];
  for (const job of plan.jobs) {
    for (const step of job.steps) {
      const at = { workflow: job.workflow, job: job.name, step: step.name };
      if (step.kind === 'run') {
        const output = await runScript(step, plan, options, at);
        outcomes.push({ ...at, outcome: 'passed', output });
      } else if (step.kind === 'provided') {
        outcomes.push({ ...at, outcome: 'provided' });
      } else {
        outcomes.push({ ...at, outcome: 'not run', reason: step.reason });
      }
    }
  }
  return outcomes;
}

async function runScript(
  step: RunStepPlan,
  plan: LocalRunPlan,
  options: RunOptions,
  at: { workflow: string; job: string; step: string },
): Promise<string> {
  try {
    const result = await runStep(
      'bash',
      ['-e', '-o', 'pipefail', '-c', step.run],
      {
        cwd: path.join(options.repoDir, step.workingDirectory),
        env: stepEnvironment(step, plan.github, options),
        timeoutMs: step.timeoutMs ?? options.timeoutMs ?? 600_000,
      },
    );
    return result.output;
  } catch (error) {
    if (error instanceof StepFailedError)
      throw new WorkflowStepFailedError(at.workflow, at.job, at.step, error);
    throw error;
  }
}

/** The caller's clean base, the step's env, then what GitHub's runner always sets (it wins, as there). */
function stepEnvironment(
  step: RunStepPlan,
  github: GithubValues,
  options: RunOptions,
): NodeJS.ProcessEnv {
  return {
    ...options.baseEnv,
    ...step.env,
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    GITHUB_REPOSITORY: github.repository,
    GITHUB_REPOSITORY_OWNER: github.repository_owner,
    GITHUB_SHA: github.sha,
    GITHUB_REF: github.ref,
    GITHUB_EVENT_NAME: github.event_name,
    GITHUB_WORKSPACE: options.repoDir,
  };
}

function githubValues(options: PlanOptions): GithubValues {
  const { event } = options;
  return {
    repository: options.repository,
    repository_owner: options.repository.split('/')[0],
    sha: options.sha,
    // A pull request's run checks out the merge commit GitHub keeps under refs/pull/<n>/merge.
    ref:
      event.name === 'push'
        ? `refs/heads/${event.branch}`
        : 'refs/pull/1/merge',
    event_name: event.name,
  };
}
