import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { WorkflowFileError } from './errors';

/** Where GitHub looks for a repository's workflows. */
export const WORKFLOWS_DIR = '.github/workflows';

/** One workflow file's text, `path` relative to the repository root (`.github/workflows/ci.yml`). */
export interface WorkflowSource {
  path: string;
  text: string;
}

export interface RawStep {
  name?: string;
  run?: string;
  uses?: string;
  env?: Record<string, unknown>;
  'working-directory'?: string;
  shell?: string;
  if?: string | boolean;
  'timeout-minutes'?: number;
  [key: string]: unknown;
}

export interface RawService {
  image?: string;
  ports?: (string | number)[];
  [key: string]: unknown;
}

export interface RawJob {
  name?: string;
  if?: string | boolean;
  needs?: string | string[];
  environment?: unknown;
  permissions?: unknown;
  services?: Record<string, RawService>;
  env?: Record<string, unknown>;
  defaults?: { run?: { 'working-directory'?: string; shell?: string } };
  steps?: RawStep[];
  'timeout-minutes'?: number;
  [key: string]: unknown;
}

/** A parsed workflow: the parts of GitHub's schema the local runner reads. */
export interface Workflow {
  path: string;
  name: string;
  on: unknown;
  env: Record<string, unknown>;
  permissions?: unknown;
  defaults?: RawJob['defaults'];
  jobs: Record<string, RawJob>;
}

/** Every `.github/workflows/*.yml` (and `.yaml`) of a repository folder, by name. */
export function readWorkflowSources(repoDir: string): WorkflowSource[] {
  const dir = path.join(repoDir, WORKFLOWS_DIR);
  return readdirSync(dir)
    .filter(file => /\.ya?ml$/.test(file))
    .sort()
    .map(file => ({
      path: `${WORKFLOWS_DIR}/${file}`,
      text: readFileSync(path.join(dir, file), 'utf8'),
    }));
}

/** The workflows among rendered files (a golden path rendered in memory), by path. */
export function workflowSourcesFromFiles(
  files: ReadonlyMap<string, Buffer | string>,
): WorkflowSource[] {
  return [...files]
    .filter(([file]) => isWorkflowPath(file))
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([file, content]) => ({ path: file, text: content.toString() }));
}

/** Top-level workflow files only: GitHub ignores sub-folders of `.github/workflows`. */
export function isWorkflowPath(file: string): boolean {
  return new RegExp(`^${WORKFLOWS_DIR}/[^/]+\\.ya?ml$`).test(file);
}

export function parseWorkflow(source: WorkflowSource): Workflow {
  const document: unknown = parse(source.text);
  if (!isMapping(document))
    throw new WorkflowFileError(source.path, 'is not a YAML mapping');
  if (!isMapping(document.jobs))
    throw new WorkflowFileError(source.path, 'has no jobs mapping');
  if (document.on === undefined)
    throw new WorkflowFileError(source.path, 'has no "on" triggers');
  return {
    path: source.path,
    // GitHub shows the file path for a workflow without a name.
    name: typeof document.name === 'string' ? document.name : source.path,
    on: document.on,
    env: isMapping(document.env) ? document.env : {},
    permissions: document.permissions,
    defaults: document.defaults as Workflow['defaults'],
    jobs: document.jobs as Record<string, RawJob>,
  };
}

export function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
