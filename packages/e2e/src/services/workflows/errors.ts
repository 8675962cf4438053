import { StepFailedError, tail } from '../run-step';

/**
 * A `${{ }}` expression or `if:` condition outside the small subset the local runner evaluates.
 * Guessing its value could select the wrong jobs or run a step with the wrong settings, so it stops.
 */
export class UnsupportedExpressionError extends Error {
  constructor(
    readonly expression: string,
    readonly where: string,
    readonly detail: string,
  ) {
    super(
      `unsupported expression "${expression}" at ${where}: ${detail}. The local workflow runner ` +
        `evaluates github.repository, github.repository_owner, github.sha, github.ref, ` +
        `github.event_name, vars.NAME, env.NAME, string literals, ==, !=, &&, || and parentheses`,
    );
    this.name = 'UnsupportedExpressionError';
  }
}

/** A workflow key (trigger filter, job or step setting) whose meaning the local runner does not model. */
export class UnsupportedWorkflowFeatureError extends Error {
  constructor(readonly where: string, readonly feature: string) {
    super(
      `${where}: "${feature}" is not supported by the local workflow runner`,
    );
    this.name = 'UnsupportedWorkflowFeatureError';
  }
}

/** A workflow file that is not the shape GitHub accepts (not a mapping, no jobs, a step with neither run nor uses…). */
export class WorkflowFileError extends Error {
  /** `location`: the file, or the key in it (`.github/workflows/ci.yml jobs.deploy.needs`). */
  constructor(readonly location: string, problem: string) {
    super(`${location}: ${problem}`);
    this.name = 'WorkflowFileError';
  }
}

/** A `run:` step that failed locally, naming the workflow, the job and the step, with the output's tail. */
export class WorkflowStepFailedError extends Error {
  constructor(
    readonly workflow: string,
    readonly job: string,
    readonly step: string,
    readonly stepFailure: StepFailedError,
  ) {
    super(
      `workflow ${workflow}, job "${job}", step "${step}" failed (${
        stepFailure.exitCode === null
          ? 'killed: timed out'
          : `exit ${stepFailure.exitCode}`
      }):\n${tail(stepFailure.output, 150)}`,
    );
    this.name = 'WorkflowStepFailedError';
  }
}
