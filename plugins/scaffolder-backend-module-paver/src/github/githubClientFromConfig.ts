import type {
  DatabaseService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import {
  DefaultGithubCredentialsProvider,
  ScmIntegrations,
} from '@backstage/integration';
import { type GithubClient, createGithubClient } from './createGithubClient';
import { DatabasePacer } from './DatabasePacer';
import type { GithubPacer } from './pacing';
import { ledgerSupported } from './pacingLedger';
import { getTokenFromCredentialsProvider } from './tokens';

export interface GithubClientDeps {
  /** The scaffolder's database: every replica paces its GitHub writes through one ledger in it. */
  database?: DatabaseService;
  logger?: LoggerService;
}

/**
 * The GitHub client for `paver.publish.github` (`host`, `owner`), from `integrations.github` as
 * Backstage reads it: Backstage's credentials provider hands out the token per request (a token,
 * or a GitHub App's installation token for the owner, which it renews), never the environment
 * inside a handler; the API base URL is the integration's. Paced by the replicas' shared budget.
 * Build it once per process: everything that calls GitHub must take from the same budget.
 */
export async function githubClientFromConfig(
  config: Config,
  github: { host: string; owner: string },
  deps: GithubClientDeps = {},
): Promise<GithubClient> {
  const integrations = ScmIntegrations.fromConfig(config);
  const credentials =
    DefaultGithubCredentialsProvider.fromIntegrations(integrations);
  return createGithubClient({
    pacer: await sharedPacer(deps),
    // Resolved per request, so missing credentials fail the task that needs them, not start-up.
    getToken: getTokenFromCredentialsProvider(
      credentials,
      `https://${github.host}/${github.owner}`,
    ),
    // Backstage fills it in for github.com; GitHub Enterprise Server serves its API under /api/v3.
    baseUrl:
      integrations.github.byHost(github.host)?.config.apiBaseUrl ??
      `https://${github.host}/api/v3`,
  });
}

/**
 * GitHub's limits hold for the account, not per process: with a database the budget is shared by
 * every replica (DatabasePacer); without one, the process-wide in-memory pacer is all there is.
 */
async function sharedPacer({
  database,
  logger,
}: GithubClientDeps): Promise<GithubPacer | undefined> {
  if (!database) return undefined;
  const knex = await database.getClient();
  if (!ledgerSupported(knex)) {
    logger?.warn(
      `GitHub request pacing is per process: it cannot share a budget through a ${knex.client.dialect} database (PostgreSQL or SQLite), so N replicas may together send N times GitHub's limits`,
    );
    return undefined;
  }
  return DatabasePacer.create(knex, { logger });
}
