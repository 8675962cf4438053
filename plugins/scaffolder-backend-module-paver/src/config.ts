import path from 'node:path';
import { readDurationFromConfig, type Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { platformUrlIssue } from '@paver/golden-path';

/** A duration as Backstage's scheduler takes it (`{ minutes: 10 }`). */
export type HumanDuration = ReturnType<typeof readDurationFromConfig>;

/** Where `paver:repo:publish` puts a repository. */
export type PublishProvider = 'local' | 'github';
export const PUBLISH_PROVIDERS: readonly PublishProvider[] = [
  'local',
  'github',
];

/** The module's settings, read once at start-up (keys documented in config.schema.json). */
export interface PaverScaffolderConfig {
  /** Absolute folder holding the golden paths. */
  templatesDir: string;
  publish: {
    provider: PublishProvider;
    /** Absolute data folder of the local provider. */
    localDataDir: string;
    github?: { owner: string; host: string; visibility: 'private' | 'public' };
  };
  /** The reconciler (`paver.reconcile`): registers marked repositories the catalog lacks. */
  reconcile: {
    /** Whether it runs on a schedule; the on-demand route is there either way. */
    enabled: boolean;
    frequency: HumanDuration;
  };
  /** `paver.links`: link patterns a generated service's catalog entry and runbook carry. */
  links: {
    /** A service's dashboard, `{name}` standing for the service; null: no dashboard link. */
    dashboard: string | null;
  };
  /** Test-only hooks (`paver.testing`); 0 means off. */
  testing: { pauseAfterRepoCreateMs: number };
}

/**
 * Reads `paver.templates` and `paver.publish`. Relative folders resolve against `cwd` (the
 * backend's working directory), the same rule Backstage applies to `file` catalog locations and
 * the SQLite directory, so one app-config.yaml works for all of them.
 */
export function readPaverConfig(
  config: Config,
  cwd = process.cwd(),
): PaverScaffolderConfig {
  const provider =
    config.getOptionalString('paver.publish.provider') ?? 'local';
  if (!PUBLISH_PROVIDERS.includes(provider as PublishProvider)) {
    throw new InputError(
      `paver.publish.provider must be one of ${PUBLISH_PROVIDERS.join(
        ', ',
      )}, got "${provider}"`,
    );
  }
  return {
    templatesDir: path.resolve(
      cwd,
      config.getOptionalString('paver.templates.dir') ?? '../../templates',
    ),
    publish: {
      provider: provider as PublishProvider,
      localDataDir: path.resolve(
        cwd,
        config.getOptionalString('paver.publish.local.dataDir') ??
          '../../.paver-data',
      ),
      github: readGithub(config),
    },
    reconcile: readReconcile(config),
    links: { dashboard: readHttpUrl(config, 'paver.links.dashboard') ?? null },
    testing: { pauseAfterRepoCreateMs: readPause(config) },
  };
}

/** Every 10 minutes unless `paver.reconcile.frequency` says otherwise ('5m', 'PT30M', { minutes: 5 }). */
function readReconcile(config: Config): PaverScaffolderConfig['reconcile'] {
  const key = 'paver.reconcile.frequency';
  const frequency = config.has(key)
    ? readDurationFromConfig(config, { key })
    : { minutes: 10 };
  const values = Object.values(frequency) as number[];
  if (
    values.some(v => !Number.isFinite(v) || v < 0) ||
    !values.some(v => v > 0)
  ) {
    throw new InputError(
      `${key} must be a positive duration, got ${JSON.stringify(frequency)}`,
    );
  }
  return {
    enabled: config.getOptionalBoolean('paver.reconcile.enabled') ?? true,
    frequency,
  };
}

/** An optional absolute http(s) URL (a pattern may hold `{name}`); anything else names the key. */
export function readHttpUrl(config: Config, key: string): string | undefined {
  const value = config.getOptionalString(key);
  const issue = value === undefined ? undefined : platformUrlIssue(value);
  if (issue) throw new InputError(`${key} ${issue}`);
  return value;
}

function readPause(config: Config): number {
  const ms =
    config.getOptionalNumber('paver.testing.pauseAfterRepoCreateMs') ?? 0;
  if (!Number.isFinite(ms) || ms < 0) {
    throw new InputError(
      `paver.testing.pauseAfterRepoCreateMs must be a number of milliseconds >= 0, got ${ms}`,
    );
  }
  return ms;
}

// Without an owner there is no GitHub provider; the module warns at start-up and a publish step
// answers "not configured" (the owner usually comes from an environment variable).
function readGithub(
  config: Config,
): PaverScaffolderConfig['publish']['github'] {
  const github = config.getOptionalConfig('paver.publish.github');
  const owner = github?.getOptionalString('owner');
  if (!owner) return undefined;
  const visibility = github?.getOptionalString('visibility') ?? 'private';
  if (visibility !== 'private' && visibility !== 'public') {
    throw new InputError(
      `paver.publish.github.visibility must be private or public, got "${visibility}"`,
    );
  }
  return {
    owner,
    host: github?.getOptionalString('host') ?? 'github.com',
    visibility,
  };
}
