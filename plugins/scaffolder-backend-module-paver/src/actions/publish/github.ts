import fs from 'node:fs';
import path from 'node:path';
import type { LoggerService } from '@backstage/backend-plugin-api';
import { parseEntityRef } from '@backstage/catalog-model';
import type { PaverScaffolderConfig } from '../../config';
import { git } from '../../git';
import { type GithubClient, publishToGithub } from '../../github';
import type { PublishedRepository } from './publish.schema';
import type { PublishRequest } from './publishRequest';

/** What the GitHub provider needs from a task beyond what every provider gets. */
export interface GithubPublishRequest extends PublishRequest {
  logger: LoggerService;
  signal?: AbortSignal;
}

/** paver:repo:publish's GitHub provider, as the action calls it. */
export type GithubPublishProvider = (
  request: GithubPublishRequest,
) => Promise<PublishedRepository>;

/** `paver.publish.github`: the owner repositories are created in, its host, their visibility. */
export type GithubPublishSettings = NonNullable<
  PaverScaffolderConfig['publish']['github']
>;

/**
 * Adapts the GitHub saga (`publishToGithub`, src/github) to paver:repo:publish, over the
 * process's one GitHub client (githubClientFromConfig), so every task takes from one budget.
 */
export function createGithubPublishProvider(
  github: GithubPublishSettings,
  client: GithubClient,
): GithubPublishProvider {
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

/** The first commit carries Paver's author and the "Initial commit from <template>@<version>" message. */
async function commitWorkspace(
  sourceDir: string,
  message: string,
): Promise<void> {
  // A workspace that is already a repository (another action made it) keeps its history.
  if (fs.existsSync(path.join(sourceDir, '.git'))) return;
  const opts = { cwd: sourceDir };
  await git(['init', '--quiet', '--initial-branch=main'], opts);
  await git(['add', '--all'], opts);
  await git(['commit', '--quiet', '--no-verify', '-m', message], opts);
}
