import path from 'node:path';

export interface NpmEnvOptions {
  /** PostgreSQL the generated service's tests use (its harness also works without one). */
  databaseUrl?: string;
  /** The local registry serving @paver/cdktf, when there is one. */
  paverRegistryUrl?: string;
}

// The runner's own variables would make the generated service's vitest think it is a worker of ours.
// npm_config_* settings (a cache, a proxy) pass through; what yarn sets about its own run does not.
const INHERITED_NOISE =
  /^(VITEST|TINYPOOL|NODE_OPTIONS$|NODE_ENV$|npm_(package|lifecycle|execpath|node_execpath|command)|npm_config_user_agent$|YARN_|BERRY_|INIT_CWD$|PROJECT_CWD$)/i;

/**
 * The environment for npm in a generated service: this process's Node 22 first on PATH (so npm,
 * node and the scripts all use it), the shared npm cache, and no audit, funding or update noise.
 */
export function npmEnv(options: NpmEnvOptions): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!INHERITED_NOISE.test(key)) env[key] = value;
  }
  env.PATH = `${path.dirname(process.execPath)}${path.delimiter}${
    process.env.PATH ?? ''
  }`;
  env.CI = '1';
  env.npm_config_audit = 'false';
  env.npm_config_fund = 'false';
  env.npm_config_update_notifier = 'false';
  env.npm_config_prefer_offline = 'true';
  if (options.databaseUrl) env.DATABASE_URL = options.databaseUrl;
  if (options.paverRegistryUrl)
    env['npm_config_@paver:registry'] = options.paverRegistryUrl;
  return env;
}
