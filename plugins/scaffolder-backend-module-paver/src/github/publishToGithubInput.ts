import { InputError } from '@backstage/errors';
import type { ProgressLogger } from './createGithubClient';

export interface PublishToGithubInput {
  /** An organisation, or the user the token belongs to. */
  owner: string;
  repo: string;
  description: string;
  visibility: 'public' | 'private';
  topics: string[];
  /** The owning team, granted `maintain`; organisations only. */
  teamSlug?: string;
  /** @default 'main' */
  defaultBranch?: string;
  /** The scaffolder task; its marker is how a retry recognises the repository. */
  taskId: string;
  /** The rendered workspace; committed first if it holds no commit yet. */
  sourceDir: string;
  logger: ProgressLogger;
  signal?: AbortSignal;
  /** Waits, for tests; production keeps the defaults. */
  timing?: {
    /** @default 6 */
    pushAttempts?: number;
    /** @default 500 */
    pushBaseDelayMs?: number;
    /** Waits before each look-up after an ambiguous create. @default [0, 1000, 3000] */
    createLookupsMs?: number[];
  };
}

const RULES: Array<[keyof PublishToGithubInput, RegExp, string]> = [
  ['owner', /^[A-Za-z0-9][A-Za-z0-9-]{0,38}$/, 'a GitHub account name'],
  [
    'repo',
    /^(?!\.\.?$)[A-Za-z0-9._-]{1,100}$/,
    'letters, digits, ".", "-" or "_", at most 100',
  ],
  ['taskId', /^[A-Za-z0-9_.:-]{1,128}$/, 'a scaffolder task id'],
  ['teamSlug', /^[a-z0-9][a-z0-9_-]{0,99}$/, 'a team slug'],
  [
    'defaultBranch',
    /^(?!.*\.\.)(?!\/)[A-Za-z0-9._/-]{1,100}(?<![/.])$/,
    'a branch name',
  ],
];

/** Checks everything before anything external happens; InputError names the field. */
export function validatePublishToGithubInput(
  input: PublishToGithubInput,
): void {
  for (const [field, pattern, expected] of RULES) {
    const value = input[field];
    if (
      value === undefined &&
      (field === 'teamSlug' || field === 'defaultBranch')
    )
      continue;
    if (typeof value !== 'string' || !pattern.test(value)) {
      throw new InputError(
        `${field} must be ${expected}, got ${JSON.stringify(value)}`,
      );
    }
  }
  if (input.visibility !== 'public' && input.visibility !== 'private') {
    throw new InputError(
      `visibility must be "public" or "private", got ${JSON.stringify(
        input.visibility,
      )}`,
    );
  }
  // GitHub: lower-case letters, digits and hyphens, at most 50 characters, at most 20 topics
  // (one is the task marker).
  const bad = input.topics.find(t => !/^[a-z0-9][a-z0-9-]{0,49}$/.test(t));
  if (bad !== undefined)
    throw new InputError(
      `topic ${JSON.stringify(bad)} is not a valid GitHub topic`,
    );
  if (input.topics.length > 19)
    throw new InputError(
      "at most 19 topics (GitHub allows 20, one is Paver's)",
    );
}
