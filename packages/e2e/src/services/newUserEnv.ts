import path from 'node:path';

// What a new team member's shell has that a clone needs: a PATH, a home (npm's cache and user
// config live there) and the machine's own network trust settings, which this machine's registry
// traffic needs. Nothing of Paver's: no registry override, no token, no DATABASE_URL.
const MACHINE_TRUST = ['NODE_EXTRA_CA_CERTS', 'SSL_CERT_FILE'] as const;

/**
 * The environment for commands run in a freshly cloned service, as a new user would run them.
 * This process's Node 22 leads PATH, as it does in the shell `./paverw` sets up: the generated
 * services need Node 22.12 or later and the machine's own Node may be older.
 */
export function newUserEnv(
  extra: Record<string, string> = {},
): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    PATH: `${path.dirname(process.execPath)}${path.delimiter}${
      process.env.PATH ?? ''
    }`,
    HOME: process.env.HOME ?? '',
  };
  for (const key of MACHINE_TRUST) {
    if (process.env[key]) env[key] = process.env[key];
  }
  return { ...env, ...extra };
}
