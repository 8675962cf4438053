import fs from 'node:fs';
import path from 'node:path';
import type {
  DatabaseService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import { parseEntityRef } from '@backstage/catalog-model';
import type { GithubPublisher } from './actions/publish/publish';
import type { PaverScaffolderConfig } from './config';
import {
  DatabasePacer,
  type GithubClient,
  type GithubPacer,
  createGithubClient,
  ledgerSupported,
  publishToGithub,
} from './github';
import { git } from './local/git';

export interface GithubPublisherDeps {
  /** The scaffolder's database: every replica paces its GitHub writes through one ledger in it. */
  database?: DatabaseService;
  logger?: LoggerService;
  /** The process's one GitHub client (githubClientFromConfig), when other parts share it. */
  client?: GithubClient;
}

/**
 * Adapts the GitHub publisher (src/github) to paver:repo:publish, over `deps.client` or a client
 * built from config (githubClientFromConfig). Undefined when GitHub is not configured.
 */
export async function createGithubPublisher(
  config: Config,
  settings: PaverScaffolderConfig,
  deps: GithubPublisherDeps = {},
): Promise<GithubPublisher | undefined> {
  const github = settings.publish.github;
  if (!github) return undefined;
  const client =
    deps.client ?? (await githubClientFromConfig(config, github.host, deps));
  return async request => {
    const { name, owner, description } = request.input;
    // One checkpoint around the whole saga: publishToGithub recognises its own repository by the
    // task marker, so a resumed task that did not reach the end simply runs it again.
    return request.checkpoint(`paver.publish.github.${name}`, async () => {
      await commitWorkspace(request.sourceDir, request.commitMessage);
      const result = await publishToGithub(client, {
        owner: github.owner,
        repo: name,
        description: description ?? '',
        visibility: github.visibility,
        topics: ['paver'],
        teamSlug: parseEntityRef(owner).name,
        taskId: request.taskId,
        sourceDir: request.sourceDir,
        // Messages only: the publisher's metadata is not ours to log whole.
        logger: {
          info: m => request.logger.info(m),
          warn: m => request.logger.warn(m),
        },
        signal: request.signal,
      });
      const contents = `${result.htmlUrl}/blob/main/`;
      return {
        remoteUrl: result.cloneUrl,
        repoContentsUrl: contents,
        catalogInfoUrl: `${contents}catalog-info.yaml`,
      };
    });
  };
}

/**
 * The GitHub client for `integrations.github`'s entry for `host`: token and API base URL from
 * config, never from the environment inside a handler; paced by the replicas' shared budget.
 * Build it once per process: everything that calls GitHub must take from the same budget.
 */
export async function githubClientFromConfig(
  config: Config,
  host: string,
  deps: GithubPublisherDeps = {},
): Promise<GithubClient> {
  const integration = findIntegration(config, host);
  return createGithubClient({
    pacer: await sharedPacer(deps),
    // Resolved per request, so a missing token fails the task that needs it, not start-up.
    getToken: async () => {
      if (!integration?.token)
        throw new Error(`integrations.github has no token for ${host}`);
      return integration.token;
    },
    baseUrl:
      integration?.apiBaseUrl ??
      (host === 'github.com'
        ? 'https://api.github.com'
        : `https://${host}/api/v3`),
  });
}

/**
 * GitHub's limits hold for the account, not per process: with a database the budget is shared by
 * every replica (DatabasePacer); without one, the process-wide in-memory pacer is all there is.
 */
async function sharedPacer({
  database,
  logger,
}: GithubPublisherDeps): Promise<GithubPacer | undefined> {
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

function findIntegration(config: Config, host: string) {
  const entry = (
    config.getOptionalConfigArray('integrations.github') ?? []
  ).find(c => c.getString('host') === host);
  return (
    entry && {
      token: entry.getOptionalString('token'),
      apiBaseUrl: entry.getOptionalString('apiBaseUrl'),
    }
  );
}

/** The first commit carries Paver's author and the "Initial commit from <template>@<version>" message. */
async function commitWorkspace(
  sourceDir: string,
  message: string,
): Promise<void> {
  // A workspace that is already a repository (another action made it) keeps its history.
  if (fs.existsSync(path.join(sourceDir, '.git'))) return;
  await git(['-C', sourceDir, 'init', '--quiet', '--initial-branch=main']);
  await git(['-C', sourceDir, 'add', '--all']);
  await git([
    '-C',
    sourceDir,
    'commit',
    '--quiet',
    '--no-verify',
    '-m',
    message,
  ]);
}
