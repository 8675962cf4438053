import fs from 'node:fs/promises';
import { NotFoundError } from '@backstage/errors';
import { SERVICE_NAME_PATTERN } from '@paver/golden-path';
import type { LocalRepositories } from '../local/localRepositories';
import { repoContentsUrl, resolveCheckoutFile } from '../local/repoContents';
import type { MarkedRepository, RepositorySource } from './reconcile';

const CATALOG_INFO = 'catalog-info.yaml';

/**
 * The local provider's repositories: every `<dataDir>/git/<name>.git` whose git config holds the
 * `paver.taskid` marker. Staging folders (`.<name>.git-*`) and unmarked repositories are skipped.
 * The catalog-info URL is the one `paver:repo:publish` outputs (served by repoContents.ts), and
 * the file counts as present only if that route would serve it from the checkout.
 */
export function localRepositorySource(
  repos: LocalRepositories,
  scaffolderBaseUrl: () => Promise<string>,
): RepositorySource {
  return {
    provider: 'local',
    async list() {
      const entries = await fs
        .readdir(repos.gitRoot, { withFileTypes: true })
        .catch(error => {
          if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
          throw error;
        });
      const names = entries
        .filter(e => e.isDirectory() && e.name.endsWith('.git'))
        .map(e => e.name.slice(0, -'.git'.length))
        .filter(name => SERVICE_NAME_PATTERN.test(name))
        .sort();
      const baseUrl = await scaffolderBaseUrl();
      const marked: MarkedRepository[] = [];
      for (const name of names) {
        const taskId = await repos.markerOf(name);
        if (taskId)
          marked.push({
            repo: name,
            taskId,
            catalogInfoUrl: `${repoContentsUrl(baseUrl, name)}${CATALOG_INFO}`,
          });
      }
      return marked;
    },
    async hasCatalogInfo({ repo }) {
      try {
        await resolveCheckoutFile(repos, repo, CATALOG_INFO);
        return true;
      } catch (error) {
        if (error instanceof NotFoundError) return false;
        throw error;
      }
    },
  };
}
