import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const exec = promisify(execFile);

/** Identity of every commit Paver makes (the brief's "Paver <paver@localhost>"). */
export const PAVER_AUTHOR = {
  name: 'Paver',
  email: 'paver@localhost',
} as const;

/** A git command that failed; carries git's own stderr so the task log says why. */
export class GitCommandError extends Error {
  constructor(
    readonly args: readonly string[],
    readonly stderr: string,
    options?: { cause?: unknown },
  ) {
    super(`git ${args[0]} failed: ${stderr.trim() || 'no output'}`, options);
    this.name = 'GitCommandError';
  }
}

/**
 * Runs the real git binary with an isolated configuration: no system or user config (commit
 * signing, hooks paths or credential helpers on the host must not change what we publish) and no
 * terminal prompts (a backend has nobody to answer them).
 */
export async function git(
  args: string[],
  options: { cwd?: string; env?: Record<string, string> } = {},
): Promise<string> {
  try {
    const { stdout } = await exec('git', args, {
      cwd: options.cwd,
      maxBuffer: 16 * 1024 * 1024,
      env: {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        GIT_CONFIG_NOSYSTEM: '1',
        GIT_CONFIG_GLOBAL: '/dev/null',
        GIT_TERMINAL_PROMPT: '0',
        GIT_AUTHOR_NAME: PAVER_AUTHOR.name,
        GIT_AUTHOR_EMAIL: PAVER_AUTHOR.email,
        GIT_COMMITTER_NAME: PAVER_AUTHOR.name,
        GIT_COMMITTER_EMAIL: PAVER_AUTHOR.email,
        ...options.env,
      },
    });
    return stdout.trim();
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr ?? String(error);
    throw new GitCommandError(args, stderr, { cause: error });
  }
}

/** Like {@link git}, but `undefined` instead of an error (for "does this ref/key exist?"). */
export async function gitOptional(
  args: string[],
  options: { cwd?: string } = {},
): Promise<string | undefined> {
  try {
    return await git(args, options);
  } catch (error) {
    if (error instanceof GitCommandError) return undefined;
    throw error;
  }
}
