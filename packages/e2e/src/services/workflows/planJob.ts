import { UnsupportedWorkflowFeatureError } from './errors';
import {
  interpolate,
  referencesContext,
  type ExpressionContext,
} from './expressions';
import {
  evaluateEnv,
  planSteps,
  unevaluatedStepNames,
  type StepPlan,
} from './planSteps';
import { publishedPorts, type ServiceStandIn } from './services';
import { isMapping, type RawJob, type Workflow } from './workflowFiles';

/** One selected job: what it is called on GitHub and what would run here. */
export interface JobPlan {
  /** The workflow file, relative to the repository root. */
  workflow: string;
  workflowName: string;
  id: string;
  /** The status-check context GitHub reports: the job's `name:`, or its id. */
  name: string;
  needs: string[];
  /** False when the job needs what only GitHub has (cloud credentials, secrets, a service with no stand-in). */
  runnable: boolean;
  notRunnableReason?: string;
  steps: StepPlan[];
}

const JOB_KEYS = [
  'name',
  'runs-on',
  'if',
  'needs',
  'environment',
  'permissions',
  'services',
  'env',
  'defaults',
  'steps',
  'timeout-minutes',
  'concurrency',
];

/** What the caller runs in place of GitHub's service containers: service id → local URL. */
export type ServiceUrls = Readonly<Record<string, string>>;

export function planJob(
  workflow: Workflow,
  jobId: string,
  context: ExpressionContext,
  serviceUrls: ServiceUrls,
): JobPlan {
  const job = workflow.jobs[jobId];
  const where = `${workflow.path} jobs.${jobId}`;
  checkJobKeys(job, where);
  const identity = {
    workflow: workflow.path,
    workflowName: workflow.name,
    id: jobId,
    name:
      job.name === undefined
        ? jobId
        : interpolate(job.name, context, `${where}.name`),
    needs: needsOf(job),
  };
  const blocked =
    credentialsNeeded(workflow, job) ?? missingService(job, serviceUrls);
  if (blocked) {
    return {
      ...identity,
      runnable: false,
      notRunnableReason: blocked,
      steps: unevaluatedStepNames(job).map(name => ({
        kind: 'not-runnable',
        name,
        reason: blocked,
      })),
    };
  }
  const workflowEnv = evaluateEnv(
    workflow.env,
    { ...context, env: {} },
    `${workflow.path} env`,
  );
  const jobEnv = {
    ...workflowEnv,
    ...evaluateEnv(
      job.env ?? {},
      { ...context, env: workflowEnv },
      `${where}.env`,
    ),
  };
  const standIns = serviceStandIns(job, serviceUrls);
  return {
    ...identity,
    runnable: true,
    steps: planSteps({ workflow, jobId, job, jobEnv, context, standIns }),
  };
}

export function needsOf(job: RawJob): string[] {
  if (job.needs === undefined) return [];
  return Array.isArray(job.needs) ? job.needs : [job.needs];
}

/** Why the job cannot run without GitHub's credentials, or undefined when it can. */
function credentialsNeeded(
  workflow: Workflow,
  job: RawJob,
): string | undefined {
  if (job.environment !== undefined)
    return `deploys to the environment ${JSON.stringify(
      job.environment,
    )}, whose protection rules, variables and secrets exist only on GitHub`;
  if (grantsIdToken(job.permissions ?? workflow.permissions))
    return 'asks for an OIDC token (permissions: id-token: write) to assume a cloud role';
  if (referencesContext(JSON.stringify([workflow.env, job]), 'secrets'))
    return 'reads secrets, which exist only on GitHub';
  return undefined;
}

function grantsIdToken(permissions: unknown): boolean {
  if (permissions === 'write-all') return true;
  return isMapping(permissions) && permissions['id-token'] === 'write';
}

function missingService(
  job: RawJob,
  serviceUrls: ServiceUrls,
): string | undefined {
  const missing = Object.entries(job.services ?? {}).find(
    ([id]) => !serviceUrls[id],
  );
  if (!missing) return undefined;
  const [id, service] = missing;
  return `needs the "${id}" service container (${
    service.image ?? 'no image'
  }); pass a local URL for "${id}" to stand in for it`;
}

function serviceStandIns(
  job: RawJob,
  serviceUrls: ServiceUrls,
): ServiceStandIn[] {
  return Object.entries(job.services ?? {}).flatMap(([id, service]) =>
    publishedPorts(service).map(hostPort => ({
      id,
      hostPort,
      localUrl: serviceUrls[id],
    })),
  );
}

function checkJobKeys(job: RawJob, where: string): void {
  for (const key of Object.keys(job)) {
    if (!JOB_KEYS.includes(key))
      throw new UnsupportedWorkflowFeatureError(where, key);
  }
}
