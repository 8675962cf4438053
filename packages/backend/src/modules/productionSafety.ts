import type { Config } from '@backstage/config';

/** The permission policies Paver can run; `allow-all` exists for local experiments only. */
export type PermissionPolicyName = 'paver' | 'allow-all';

export function readPolicyName(config: Config): PermissionPolicyName {
  const name = config.getOptionalString('paver.permission.policy') ?? 'paver';
  if (name !== 'paver' && name !== 'allow-all') {
    throw new Error(
      `paver.permission.policy must be "paver" or "allow-all", got "${name}"`,
    );
  }
  return name;
}

export function isProduction(config: Config): boolean {
  return config.getOptionalString('paver.environment') === 'production';
}

/**
 * Lists what makes a configuration unsafe to run in production. Empty means safe, or not production.
 * Each entry names the config key so the operator knows what to change.
 */
export function findProductionSafetyProblems(config: Config): string[] {
  if (!isProduction(config)) return [];
  const problems: string[] = [];
  if (config.has('auth.providers.guest')) {
    problems.push(
      'auth.providers.guest is set: guest sign-in lets anyone in without an identity; configure a real sign-in provider (GitHub or OIDC) instead',
    );
  }
  if (config.getOptionalBoolean('permission.enabled') !== true) {
    problems.push(
      'permission.enabled is not true: every request would be allowed without consulting the permission policy',
    );
  }
  if (readPolicyName(config) === 'allow-all') {
    problems.push(
      'paver.permission.policy is "allow-all": every user could read and cancel any task and delete any entity; use "paver"',
    );
  }
  if (
    config.getOptionalBoolean(
      'backend.auth.dangerouslyDisableDefaultAuthPolicy',
    )
  ) {
    problems.push(
      'backend.auth.dangerouslyDisableDefaultAuthPolicy is true: unauthenticated requests would reach every plugin',
    );
  }
  if (!config.getOptionalString('paver.packages.registry')) {
    problems.push(
      "paver.packages.registry is not set: generated services would install @paver packages from this backend's own folder instead of the organisation's registry (set PAVER_NPM_REGISTRY)",
    );
  }
  return problems;
}
