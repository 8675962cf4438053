import { CustomErrorBase } from '@backstage/errors';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';

const exec = promisify(execFile);

/** Identity of every commit Paver makes (the brief's "Paver <paver@localhost>"). */
export const PAVER_AUTHOR = {
  name: 'Paver',
  email: 'paver@localhost',
} as const;

/** A git command failed; the message is git's own stderr, never the command line or the token. */
export class GitCommandError extends CustomErrorBase {
  name = 'GitCommandError' as const;

  constructor(readonly args: readonly string[], readonly stderr: string) {
    super(`git ${args[0]} failed: ${stderr.trim() || 'no output'}`);
  }
}

export interface GitOptions {
  /** Where git runs; it never discovers a repository above this folder. */
  cwd?: string;
  /** For an HTTPS remote: sent as an HTTP header through the environment, never in the URL or the command line. */
  token?: string;
  /** Whom the commits it makes name. @default PAVER_AUTHOR */
  author?: { name: string; email: string };
  signal?: AbortSignal;
}

/**
 * What git inherits from the process: where programs are, and how this host reaches the network
 * (proxies, CA bundles), so a push works behind a corporate proxy. Nothing else: no HOME, no
 * GIT_* settings, no askpass programs.
 */
const INHERITED = [
  'PATH',
  'http_proxy',
  'HTTP_PROXY',
  'https_proxy',
  'HTTPS_PROXY',
  'all_proxy',
  'ALL_PROXY',
  'no_proxy',
  'NO_PROXY',
  'SSL_CERT_FILE',
  'SSL_CERT_DIR',
  'GIT_SSL_CAINFO',
  'GIT_SSL_CAPATH',
];

/**
 * Runs the real git binary isolated from the host's git configuration: no system or user config
 * (commit signing, hooks paths or credential helpers there must not change what Paver publishes),
 * no credential helper or askpass even from a repository's own config, and no terminal prompts (a
 * backend has nobody to answer them). Resolves git's stdout, trimmed.
 */
export async function git(
  args: string[],
  options: GitOptions = {},
): Promise<string> {
  try {
    const { stdout } = await exec('git', args, {
      cwd: options.cwd,
      env: environment(options),
      signal: options.signal,
      maxBuffer: 16 * 1024 * 1024,
    });
    return stdout.trim();
  } catch (error) {
    options.signal?.throwIfAborted();
    const { stderr, code } = error as { stderr?: unknown; code?: unknown };
    // A git that never started (ENOENT) has no stderr; its code says why.
    throw new GitCommandError(
      args,
      String(stderr ?? '').trim() || (typeof code === 'string' ? code : ''),
    );
  }
}

/** Like {@link git}, but `undefined` instead of an error (for "does this ref/key exist?"). */
export async function gitOptional(
  args: string[],
  options: GitOptions = {},
): Promise<string | undefined> {
  try {
    return await git(args, options);
  } catch (error) {
    if (error instanceof GitCommandError) return undefined;
    throw error;
  }
}

function environment(options: GitOptions): NodeJS.ProcessEnv {
  const author = options.author ?? PAVER_AUTHOR;
  const config: Array<[key: string, value: string]> = [
    ['credential.helper', ''],
    ['core.askPass', ''],
  ];
  if (options.token) {
    const basic = Buffer.from(`x-access-token:${options.token}`).toString(
      'base64',
    );
    config.push(['http.extraHeader', `Authorization: Basic ${basic}`]);
  }
  const env: NodeJS.ProcessEnv = {
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_TERMINAL_PROMPT: '0',
    GIT_AUTHOR_NAME: author.name,
    GIT_AUTHOR_EMAIL: author.email,
    GIT_COMMITTER_NAME: author.name,
    GIT_COMMITTER_EMAIL: author.email,
    GIT_CONFIG_COUNT: String(config.length),
  };
  for (const name of INHERITED) {
    if (process.env[name] !== undefined) env[name] = process.env[name];
  }
  env.PATH ??= '/usr/bin:/bin';
  config.forEach(([key, value], i) => {
    env[`GIT_CONFIG_KEY_${i}`] = key;
    env[`GIT_CONFIG_VALUE_${i}`] = value;
  });
  if (options.cwd) {
    // A workspace inside another checkout must never commit to or push that one.
    env.GIT_CEILING_DIRECTORIES = path.dirname(fs.realpathSync(options.cwd));
  }
  return env;
}
