import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import type { PublishProvider } from '../../config';
import type { LocalRepositories } from '../../local/localRepositories';
import { initialCommitMessage } from './commitMessage';
import { forScaffolder } from '../parseInput';
import { examples } from './publish.examples';
import {
  publishInput,
  publishOutput,
  parsePublishInput,
  type PublishedRepository,
} from './publish.schema';
import type { GithubPublishProvider } from './github';
import { publishLocal } from './local';
import type { Checkpoint, PublishRequest } from './publishRequest';

export const PUBLISH_ACTION_ID = 'paver:repo:publish';

export interface PublishActionOptions {
  /** `paver.publish.provider`, used when a step does not name one. */
  defaultProvider: PublishProvider;
  local: {
    repos: LocalRepositories;
    /** The scaffolder's external base URL, under which local checkouts are served. */
    scaffolderBaseUrl: () => Promise<string>;
  };
  /** Absent when `paver.publish.github` is not configured (github.ts makes it). */
  github?: GithubPublishProvider;
  /** Test-only hooks from `paver.testing` (config.schema.json); off unless set. */
  testing?: { pauseAfterRepoCreateMs?: number };
}

/** `paver:repo:publish`: puts the workspace in a new git repository, exactly once per task. */
export function createPublishAction(options: PublishActionOptions) {
  return createTemplateAction({
    id: PUBLISH_ACTION_ID,
    description:
      'Publishes the workspace as a new git repository: a local bare repository (embedded default) or GitHub. A rerun of the same task reuses its repository; a name held by anything else is a conflict.',
    examples,
    supportsDryRun: true,
    schema: {
      input: forScaffolder(publishInput),
      output: forScaffolder(publishOutput),
    },
    async handler(ctx) {
      const input = parsePublishInput(ctx.input);
      const provider = input.provider ?? options.defaultProvider;
      if (provider === 'github' && !options.github) {
        throw new InputError(
          'provider: github publishing is not configured (paver.publish.github.owner)',
        );
      }
      const commitMessage = await initialCommitMessage(
        ctx.workspacePath,
        ctx.templateInfo?.entityRef,
      );
      const checkpoint: Checkpoint = (key, fn) => ctx.checkpoint({ key, fn });
      const request: PublishRequest = {
        input,
        sourceDir: ctx.workspacePath,
        commitMessage,
        taskId: ctx.task.id,
        checkpoint,
      };

      let published: PublishedRepository;
      if (provider === 'local') {
        const baseUrl = await options.local.scaffolderBaseUrl();
        const pauseMs = options.testing?.pauseAfterRepoCreateMs ?? 0;
        const afterCreate =
          pauseMs > 0
            ? async (name: string) => {
                ctx.logger.info(
                  `paver.testing: created repository ${name}; pausing ${pauseMs} ms before push`,
                );
                await new Promise(resolve => setTimeout(resolve, pauseMs));
              }
            : undefined;
        published = await publishLocal(options.local.repos, baseUrl, {
          ...request,
          isDryRun: !!ctx.isDryRun,
          afterCreate,
        });
      } else if (ctx.isDryRun) {
        ctx.logger.info(`Dry run: would publish ${input.name} to GitHub`);
        return;
      } else {
        published = await options.github!({
          ...request,
          logger: ctx.logger,
          signal: ctx.signal,
        });
      }
      ctx.logger.info(
        `${ctx.isDryRun ? 'Dry run: would publish' : 'Published'} ${
          input.name
        } to ${published.remoteUrl}`,
      );
      ctx.output('remoteUrl', published.remoteUrl);
      ctx.output('repoContentsUrl', published.repoContentsUrl);
      ctx.output('catalogInfoUrl', published.catalogInfoUrl);
    },
  });
}
