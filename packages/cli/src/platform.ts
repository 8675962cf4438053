import { platformUrlIssue, type PlatformSettings } from '@paver/golden-path';
import { UsageError } from './errors';

/** The registry the portal serves on its embedded defaults (`./paverw start`). */
export const EMBEDDED_PORTAL_REGISTRY =
  'http://localhost:7007/api/scaffolder/paver/npm/';

/** `--npm-registry` and `--dashboard-url`, as commander gives them. */
export interface PlatformOptions {
  npmRegistry?: string;
  dashboardUrl?: string;
  githubOrg?: string;
}

/**
 * The organisation settings a render gets from the command line: option, then environment
 * (PAVER_NPM_REGISTRY, PAVER_DASHBOARD_URL, PAVER_GITHUB_ORG), then the embedded portal's registry, no dashboard and no GitHub organisation,
 * which is what a laptop running `./paverw start` has.
 */
export function platformSettings(
  options: PlatformOptions,
  env: NodeJS.ProcessEnv = {},
): PlatformSettings {
  const registry =
    options.npmRegistry || env.PAVER_NPM_REGISTRY || EMBEDDED_PORTAL_REGISTRY;
  const dashboard = options.dashboardUrl || env.PAVER_DASHBOARD_URL || null;
  return {
    npmRegistry: withSlash(httpUrl('--npm-registry', registry)),
    dashboardUrlPattern: dashboard && httpUrl('--dashboard-url', dashboard),
    githubOrg: options.githubOrg || env.PAVER_GITHUB_ORG || null,
  };
}

/**
 * Only the settings given by option or environment, for `paver upgrade`: what is not given stays
 * as the service recorded it, so an upgrade on a laptop does not point a production service at
 * the laptop's portal.
 */
export function givenPlatformSettings(
  options: PlatformOptions,
  env: NodeJS.ProcessEnv = {},
): Partial<PlatformSettings> {
  const given: Partial<PlatformSettings> = {};
  const registry = options.npmRegistry || env.PAVER_NPM_REGISTRY;
  const dashboard = options.dashboardUrl || env.PAVER_DASHBOARD_URL;
  const githubOrg = options.githubOrg || env.PAVER_GITHUB_ORG;
  if (registry)
    given.npmRegistry = withSlash(httpUrl('--npm-registry', registry));
  if (dashboard)
    given.dashboardUrlPattern = httpUrl('--dashboard-url', dashboard);
  if (githubOrg) given.githubOrg = githubOrg;
  return given;
}

function httpUrl(option: string, value: string): string {
  const issue = platformUrlIssue(value);
  if (issue) throw new UsageError(`${option} ${issue}`);
  return value;
}

const withSlash = (url: string) => (url.endsWith('/') ? url : `${url}/`);
