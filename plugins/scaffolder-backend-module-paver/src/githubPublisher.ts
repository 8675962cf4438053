import type { Config } from '@backstage/config';
import type { PaverScaffolderConfig } from './config';
import type { GithubPublisher } from './actions/publish/publish';

/**
 * Adapts the GitHub publisher (src/github, written alongside) to paver:repo:publish. Undefined
 * when `paver.publish.github` is not configured, so the action answers "not configured".
 */
export function createGithubPublisher(_config: Config, settings: PaverScaffolderConfig): GithubPublisher | undefined {
  if (!settings.publish.github) return undefined;
  return async () => {
    throw new Error('GitHub publishing is not wired yet: src/github has no publishToGithub');
  };
}
