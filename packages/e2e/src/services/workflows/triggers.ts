import { UnsupportedWorkflowFeatureError, WorkflowFileError } from './errors';
import { matchesPatterns } from './globs';
import { isMapping, type Workflow } from './workflowFiles';

/**
 * The events the local runner models. Without `changedFiles` the event is taken to touch every
 * file, so a paths filter never holds a workflow back (see {@link pathFilterKeys} to find them).
 */
export type LocalEvent =
  | {
      name: 'pull_request';
      /** @default 'main' */
      baseBranch?: string;
      changedFiles?: readonly string[];
    }
  | { name: 'push'; branch: string; changedFiles?: readonly string[] };

type Filters = Record<string, unknown>;

const FILTER_KEYS: Record<LocalEvent['name'], readonly string[]> = {
  pull_request: ['branches', 'branches-ignore', 'paths', 'paths-ignore'],
  push: [
    'branches',
    'branches-ignore',
    'tags',
    'tags-ignore',
    'paths',
    'paths-ignore',
  ],
};

/** Does `workflow` start for `event`, honouring its `on:` filters? */
export function workflowRunsFor(
  workflow: Workflow,
  event: LocalEvent,
): boolean {
  const filters = triggerFilters(workflow, event.name);
  if (!filters) return false;
  const where = `${workflow.path} on.${event.name}`;
  for (const key of Object.keys(filters)) {
    if (!FILTER_KEYS[event.name].includes(key))
      throw new UnsupportedWorkflowFeatureError(where, key);
  }
  return (
    branchMatches(filters, event, where) &&
    pathsMatch(filters, event.changedFiles, where)
  );
}

/** The trigger's filters for `eventName` ({} when it has none); undefined when the event does not start the workflow. */
export function triggerFilters(
  workflow: Workflow,
  eventName: string,
): Filters | undefined {
  const on = workflow.on;
  if (typeof on === 'string') return on === eventName ? {} : undefined;
  if (Array.isArray(on)) return on.includes(eventName) ? {} : undefined;
  if (!isMapping(on))
    throw new WorkflowFileError(
      workflow.path,
      '"on" is not a string, list or mapping',
    );
  if (!(eventName in on)) return undefined;
  const filters = on[eventName];
  if (filters === null || filters === undefined) return {};
  if (!isMapping(filters))
    throw new WorkflowFileError(
      workflow.path,
      `on.${eventName} is not a mapping`,
    );
  return filters;
}

/** The paths filters (`paths`, `paths-ignore`) on the workflow's trigger for `eventName`. */
export function pathFilterKeys(
  workflow: Workflow,
  eventName: string,
): string[] {
  const filters = triggerFilters(workflow, eventName) ?? {};
  return ['paths', 'paths-ignore'].filter(key => key in filters);
}

function branchMatches(filters: Filters, event: LocalEvent, where: string) {
  const branch =
    event.name === 'push' ? event.branch : event.baseBranch ?? 'main';
  if ('branches' in filters)
    return matchesPatterns(patterns(filters, 'branches', where), branch);
  if ('branches-ignore' in filters)
    return !matchesPatterns(
      patterns(filters, 'branches-ignore', where),
      branch,
    );
  // A push trigger that filters only tags does not start for a branch push.
  return !('tags' in filters || 'tags-ignore' in filters);
}

function pathsMatch(
  filters: Filters,
  changedFiles: readonly string[] | undefined,
  where: string,
): boolean {
  if (!changedFiles) return true;
  if ('paths' in filters) {
    const wanted = patterns(filters, 'paths', where);
    return changedFiles.some(file => matchesPatterns(wanted, file));
  }
  if ('paths-ignore' in filters) {
    const ignored = patterns(filters, 'paths-ignore', where);
    return changedFiles.some(file => !matchesPatterns(ignored, file));
  }
  return true;
}

function patterns(filters: Filters, key: string, where: string): string[] {
  const value = filters[key];
  if (!Array.isArray(value) || !value.every(item => typeof item === 'string'))
    throw new WorkflowFileError(where, `${key} is not a list of patterns`);
  return value;
}
