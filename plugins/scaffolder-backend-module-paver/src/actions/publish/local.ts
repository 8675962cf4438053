import { pathToFileURL } from 'node:url';
import { ConflictError } from '@backstage/errors';
import type { LocalRepositories } from '../../local/localRepositories';
import { repoContentsUrl } from '../../local/repoContents';
import type { PublishedRepository } from './publish.schema';
import type { PublishRequest } from './publishRequest';

export interface LocalPublishRequest extends PublishRequest {
  isDryRun: boolean;
  /**
   * Called once, right after this attempt created the bare repository and before anything is
   * pushed (the reliability suite's kill point; see `paver.testing.pauseAfterRepoCreateMs`).
   */
  afterCreate?: (name: string) => Promise<void>;
}

/**
 * Publishes to the embedded git store as a saga of resumable steps: claim the bare repository
 * (the only step that can conflict, and it comes before any write), push, refresh the checkout
 * the catalog reads.
 */
export async function publishLocal(
  repos: LocalRepositories,
  scaffolderBaseUrl: string,
  request: LocalPublishRequest,
): Promise<PublishedRepository> {
  const { name, description } = request.input;
  const contentsUrl = repoContentsUrl(scaffolderBaseUrl, name);
  const urls = {
    remoteUrl: pathToFileURL(repos.barePath(name)).href,
    repoContentsUrl: contentsUrl,
    catalogInfoUrl: `${contentsUrl}catalog-info.yaml`,
  };
  if (request.isDryRun) {
    if ((await repos.markerOf(name)) !== undefined) {
      throw new ConflictError(`repository "${name}" already exists`);
    }
    return urls;
  }
  await request.checkpoint(`paver.publish.local.claim.${name}`, async () => {
    const { created } = await repos.claim(name, request.taskId, description);
    if (created) await request.afterCreate?.(name);
    return true;
  });
  await request.checkpoint(`paver.publish.local.push.${name}`, async () => {
    return (await repos.push(name, request.sourceDir, request.commitMessage))
      .commit;
  });
  await request.checkpoint(`paver.publish.local.checkout.${name}`, () =>
    repos.checkout(name),
  );
  return urls;
}
