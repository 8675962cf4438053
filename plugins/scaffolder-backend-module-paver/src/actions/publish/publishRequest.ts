import type { PublishActionInput } from './publish.schema';

/** What a checkpoint can store: its value is kept as JSON in the task's state. */
export type Json =
  | string
  | number
  | boolean
  | null
  | Json[]
  | { [key: string]: Json };

/** `ctx.checkpoint`: runs `fn` once per task and key; a retried task gets the stored value. */
export type Checkpoint = <T extends Json>(
  key: string,
  fn: () => Promise<T>,
) => Promise<T>;

/** What each provider of paver:repo:publish (local.ts, github.ts) gets from the task. */
export interface PublishRequest {
  input: PublishActionInput;
  sourceDir: string;
  /** "Initial commit from <template>@<version>" (commitMessage.ts). */
  commitMessage: string;
  taskId: string;
  checkpoint: Checkpoint;
}
