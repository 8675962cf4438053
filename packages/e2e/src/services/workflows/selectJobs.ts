import { WorkflowFileError } from './errors';
import { evaluateCondition, type ExpressionContext } from './expressions';
import { needsOf } from './planJob';
import type { Workflow } from './workflowFiles';

/**
 * Job ids whose `if:` holds and whose needed jobs are all selected too (GitHub skips a job whose
 * `needs` did not run), each after the jobs it needs.
 */
export function selectJobs(
  workflow: Workflow,
  context: ExpressionContext,
): string[] {
  const ids = Object.keys(workflow.jobs);
  for (const id of ids) {
    const unknown = needsOf(workflow.jobs[id]).find(
      need => !ids.includes(need),
    );
    if (unknown)
      throw new WorkflowFileError(
        `${workflow.path} jobs.${id}.needs`,
        `names "${unknown}", which is not a job of this workflow`,
      );
  }
  const passing = ids.filter(id => jobConditionHolds(workflow, id, context));
  return inNeedsOrder(workflow, withNeedsSelected(workflow, passing));
}

/** Drops jobs that need a dropped job, until none is left to drop (skips cascade down `needs`). */
function withNeedsSelected(workflow: Workflow, selected: string[]): string[] {
  const kept = selected.filter(id =>
    needsOf(workflow.jobs[id]).every(need => selected.includes(need)),
  );
  return kept.length === selected.length
    ? kept
    : withNeedsSelected(workflow, kept);
}

function jobConditionHolds(
  workflow: Workflow,
  id: string,
  context: ExpressionContext,
): boolean {
  const condition = workflow.jobs[id].if;
  return (
    condition === undefined ||
    evaluateCondition(condition, context, `${workflow.path} jobs.${id}.if`)
  );
}

function inNeedsOrder(workflow: Workflow, ids: string[]): string[] {
  const ordered: string[] = [];
  const visit = (id: string, chain: string[]) => {
    if (ordered.includes(id)) return;
    if (chain.includes(id))
      throw new WorkflowFileError(
        `${workflow.path} jobs`,
        `needs form a cycle: ${[...chain, id].join(' → ')}`,
      );
    needsOf(workflow.jobs[id]).forEach(need => visit(need, [...chain, id]));
    ordered.push(id);
  };
  ids.forEach(id => visit(id, []));
  return ordered;
}
