import path from 'node:path';
import { UnsupportedWorkflowFeatureError, WorkflowFileError } from './errors';
import {
  evaluateCondition,
  interpolate,
  type ExpressionContext,
} from './expressions';
import { pointAtStandIns, type ServiceStandIn } from './services';
import type { RawJob, RawStep, Workflow } from './workflowFiles';

/** A `run:` step as it will run: script and env with every expression evaluated. */
export interface RunStepPlan {
  kind: 'run';
  name: string;
  run: string;
  /** Relative to the repository root; '.' for the root. */
  workingDirectory: string;
  /** Workflow, job and step env merged, in that order of precedence (step wins). */
  env: Record<string, string>;
  /** From the step's or the job's `timeout-minutes`, when it sets one. */
  timeoutMs?: number;
}

/** `actions/checkout` or `actions/setup-node`: the harness has done their work already. */
export interface ProvidedStepPlan {
  kind: 'provided';
  name: string;
  uses: string;
}

/** A step that cannot run on this machine, or follows one that cannot. */
export interface NotRunnableStepPlan {
  kind: 'not-runnable';
  name: string;
  reason: string;
}

/** A step whose own `if:` is false for this event. */
export interface SkippedStepPlan {
  kind: 'skipped';
  name: string;
  reason: string;
}

export type StepPlan =
  | RunStepPlan
  | ProvidedStepPlan
  | NotRunnableStepPlan
  | SkippedStepPlan;

/** Actions the harness stands in for: the repository is already a clone, Node 22 is on PATH. */
const PROVIDED_ACTIONS = ['actions/checkout', 'actions/setup-node'];

const STEP_KEYS = [
  'name',
  'id',
  'run',
  'uses',
  'with',
  'env',
  'working-directory',
  'shell',
  'if',
  'timeout-minutes',
];

/** What planning a job's steps needs besides the steps themselves. */
export interface StepsInput {
  workflow: Workflow;
  jobId: string;
  job: RawJob;
  /** Workflow and job env, already evaluated and merged. */
  jobEnv: Record<string, string>;
  context: ExpressionContext;
  standIns: readonly ServiceStandIn[];
}

/**
 * Each step of a runnable job, in order. The first step that cannot run here (an action with no
 * stand-in, a shell other than bash) makes it and every later step not runnable: later steps
 * build on what it would have done.
 */
export function planSteps(input: StepsInput): StepPlan[] {
  const plans: StepPlan[] = [];
  let blocker: { name: string; reason: string } | undefined;
  (input.job.steps ?? []).forEach((step, index) => {
    const where = `${input.workflow.path} jobs.${input.jobId}.steps[${index}]`;
    checkStepKeys(step, where);
    if (blocker) {
      // Never evaluated: a step that will not run needs no values.
      plans.push({
        kind: 'not-runnable',
        name: step.name ?? defaultName(step),
        reason: `comes after "${blocker.name}", which cannot run here: ${blocker.reason}`,
      });
      return;
    }
    const env = stepEnv(step, input, where);
    const name = stepName(step, { ...input.context, env }, where);
    const plan = planStep(step, name, env, input, where);
    if (plan.kind === 'not-runnable') blocker = plan;
    plans.push(plan);
  });
  return plans;
}

/** Step names for a job that cannot run at all: the raw names, nothing evaluated. */
export function unevaluatedStepNames(job: RawJob): string[] {
  return (job.steps ?? []).map(step => step.name ?? defaultName(step));
}

function planStep(
  step: RawStep,
  name: string,
  env: Record<string, string>,
  input: StepsInput,
  where: string,
): StepPlan {
  const context = { ...input.context, env };
  if (
    step.if !== undefined &&
    !evaluateCondition(step.if, context, `${where}.if`)
  )
    return { kind: 'skipped', name, reason: `if: ${step.if} is false` };
  if (step.uses !== undefined) return planUses(step.uses, name);
  if (step.run === undefined)
    throw new WorkflowFileError(where, 'has neither run nor uses');
  const shell = step.shell ?? input.job.defaults?.run?.shell;
  if (shell !== undefined && shell !== 'bash')
    return {
      kind: 'not-runnable',
      name,
      reason: `runs in shell "${shell}"; the local runner runs bash only`,
    };
  return {
    kind: 'run',
    name,
    run: interpolate(step.run, context, `${where}.run`),
    workingDirectory: workingDirectory(step, input, context, where),
    env,
    ...timeout(step, input.job),
  };
}

function planUses(uses: string, name: string): StepPlan {
  const action = uses.split('@')[0];
  if (PROVIDED_ACTIONS.includes(action))
    return { kind: 'provided', name, uses };
  return {
    kind: 'not-runnable',
    name,
    reason:
      `needs ${action}, which has no local stand-in ` +
      `(the harness provides only ${PROVIDED_ACTIONS.join(' and ')})`,
  };
}

function stepEnv(
  step: RawStep,
  input: StepsInput,
  where: string,
): Record<string, string> {
  const own = evaluateEnv(
    step.env ?? {},
    { ...input.context, env: input.jobEnv },
    `${where}.env`,
  );
  return pointAtStandIns({ ...input.jobEnv, ...own }, input.standIns);
}

/** Evaluates each value of an `env:` mapping; YAML numbers and booleans become strings, as on GitHub. */
export function evaluateEnv(
  env: Record<string, unknown>,
  context: ExpressionContext,
  where: string,
): Record<string, string> {
  return Object.fromEntries(
    Object.entries(env).map(([key, value]) => [
      key,
      interpolate(String(value), context, `${where}.${key}`),
    ]),
  );
}

function stepName(
  step: RawStep,
  context: ExpressionContext,
  where: string,
): string {
  return step.name === undefined
    ? defaultName(step)
    : interpolate(step.name, context, `${where}.name`);
}

/** GitHub's own label for an unnamed step: `Run <first line of the script>` or `Run <action>`. */
function defaultName(step: RawStep): string {
  return `Run ${step.uses ?? (step.run ?? '').trim().split('\n')[0]}`;
}

function workingDirectory(
  step: RawStep,
  input: StepsInput,
  context: ExpressionContext,
  where: string,
): string {
  const configured =
    step['working-directory'] ??
    input.job.defaults?.run?.['working-directory'] ??
    input.workflow.defaults?.run?.['working-directory'] ??
    '.';
  const relative = path.normalize(
    interpolate(configured, context, `${where}.working-directory`),
  );
  if (path.isAbsolute(relative) || relative.split(path.sep)[0] === '..')
    throw new WorkflowFileError(
      `${where}.working-directory`,
      `"${configured}" leaves the repository`,
    );
  return relative;
}

function timeout(step: RawStep, job: RawJob): { timeoutMs?: number } {
  const minutes = step['timeout-minutes'] ?? job['timeout-minutes'];
  return typeof minutes === 'number' ? { timeoutMs: minutes * 60_000 } : {};
}

function checkStepKeys(step: RawStep, where: string): void {
  for (const key of Object.keys(step)) {
    if (!STEP_KEYS.includes(key))
      throw new UnsupportedWorkflowFeatureError(where, key);
  }
}
