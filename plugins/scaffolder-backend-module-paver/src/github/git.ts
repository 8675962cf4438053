import { CustomErrorBase, InputError } from '@backstage/errors';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** A git command failed; the message is git's own stderr (never holds the token). */
export class GitCommandError extends CustomErrorBase {}

export interface GitOptions {
  cwd: string;
  /** Sent as an HTTP header through the environment: never in the URL or the command line. */
  token?: string;
  signal?: AbortSignal;
}

function environment({ cwd, token }: GitOptions): NodeJS.ProcessEnv {
  const { GIT_ASKPASS: _a, SSH_ASKPASS: _s, ...inherited } = process.env;
  const env: NodeJS.ProcessEnv = {
    ...inherited,
    // Stop discovery at the workspace: a workspace inside another checkout must not push that one.
    GIT_CEILING_DIRECTORIES: path.dirname(fs.realpathSync(cwd)),
    GIT_TERMINAL_PROMPT: '0',
    GIT_CONFIG_COUNT: '2',
    GIT_CONFIG_KEY_0: 'credential.helper',
    GIT_CONFIG_VALUE_0: '',
    GIT_CONFIG_KEY_1: 'core.askPass',
    GIT_CONFIG_VALUE_1: '',
  };
  if (token) {
    const basic = Buffer.from(`x-access-token:${token}`).toString('base64');
    Object.assign(env, {
      GIT_CONFIG_COUNT: '3',
      GIT_CONFIG_KEY_2: 'http.extraHeader',
      GIT_CONFIG_VALUE_2: `Authorization: Basic ${basic}`,
    });
  }
  return env;
}

export async function git(
  args: string[],
  options: GitOptions,
): Promise<string> {
  try {
    const { stdout } = await run('git', args, {
      cwd: options.cwd,
      env: environment(options),
      signal: options.signal,
      maxBuffer: 16 * 1024 * 1024,
    });
    return stdout;
  } catch (error) {
    options.signal?.throwIfAborted();
    const stderr = String((error as { stderr?: unknown }).stderr ?? '').trim();
    throw new GitCommandError(
      `git ${args[0]} failed: ${stderr || 'no output'}`,
    );
  }
}

/**
 * Makes sure the workspace has a commit to push: a rendered workspace that is not yet a
 * repository gets one commit of everything in it on `branch`.
 */
export async function ensureCommit(
  sourceDir: string,
  branch: string,
): Promise<string> {
  if (!fs.existsSync(sourceDir) || !fs.statSync(sourceDir).isDirectory()) {
    throw new InputError(`sourceDir ${sourceDir} is not a directory`);
  }
  const opts = { cwd: sourceDir };
  const head = await git(
    ['rev-parse', '--verify', '--quiet', 'HEAD^{commit}'],
    opts,
  ).catch(() => '');
  if (head.trim()) return head.trim();
  if (!fs.existsSync(path.join(sourceDir, '.git'))) {
    await git(['init', '--quiet', `--initial-branch=${branch}`], opts);
  }
  await git(['add', '--all'], opts);
  const author = [
    '-c',
    'user.name=Paver',
    '-c',
    'user.email=paver@users.noreply.github.com',
  ];
  await git(
    [
      ...author,
      'commit',
      '--quiet',
      '--allow-empty',
      '-m',
      'Initial commit from Paver',
    ],
    opts,
  );
  return (await git(['rev-parse', 'HEAD'], opts)).trim();
}
