import type { ActionContext } from '@backstage/plugin-scaffolder-node';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { tempDir as trackedTempDir } from '@paver/test-utils';

// Backstage's test utilities call `jest.fn()`; under vitest the same API is `vi`.
(globalThis as { jest?: unknown }).jest ??= vi;

/** A fresh temporary folder, removed after the current test file (`@paver/test-utils`). */
export function tempDir(prefix = 'paver-scaffolder-'): Promise<string> {
  return trackedTempDir(prefix);
}

/** What a handler wrote with `ctx.output`, as one object. */
export function outputsOf(
  ctx: ActionContext<any, any>,
): Record<string, unknown> {
  const calls = (
    ctx.output as unknown as { mock: { calls: [string, unknown][] } }
  ).mock.calls;
  return Object.fromEntries(calls);
}

/**
 * A mock action context with its own empty workspace and a checkpoint that records results by
 * key, like the scaffolder's: a second run with the same `checkpoints` map resumes, not repeats.
 */
export async function mockContext(
  input: Record<string, unknown>,
  options: {
    workspacePath?: string;
    taskId?: string;
    isDryRun?: boolean;
    checkpoints?: Map<string, unknown>;
    secrets?: Record<string, string>;
  } = {},
): Promise<ActionContext<any, any>> {
  const workspacePath =
    options.workspacePath ?? (await tempDir('paver-workspace-'));
  const ctx = createMockActionContext<any>({
    input,
    workspacePath,
    task: { id: options.taskId ?? 'task-1' },
    secrets: options.secrets,
  });
  const checkpoints = options.checkpoints ?? new Map<string, unknown>();
  return {
    ...ctx,
    isDryRun: options.isDryRun ?? false,
    templateInfo: {
      entityRef: 'template:default/billing-service',
      baseUrl: 'file:///templates/',
    },
    async checkpoint(opts) {
      if (checkpoints.has(opts.key)) return checkpoints.get(opts.key) as never;
      const value = await opts.fn();
      checkpoints.set(opts.key, value);
      return value;
    },
  };
}
