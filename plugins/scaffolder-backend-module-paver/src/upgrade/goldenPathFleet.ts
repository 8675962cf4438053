import {
  listTemplates,
  serviceDrift,
  type TemplateReleases,
} from '@paver/golden-path';
import type { GithubClient } from '../github';
import type { LocalRepositories } from '../local/localRepositories';
import { closeUpgrade, mergeUpgrade } from './pullRequests';
import {
  upgradeBranch,
  type FleetService,
  type FleetServiceState,
  type GoldenPathSummary,
} from '@paver/plugin-paver-common';
import { upgradeGithubFleet } from './githubFleet';
import { githubOverview, type GithubOverviewCache } from './githubOverview';
import { closeGithubUpgrade, mergeGithubUpgrade } from './githubSettle';
import { servicesOf, upgradeLocalFleet } from './localFleet';

/** Where the services live when the scaffolder publishes to GitHub (`paver.publish.github`). */
export interface GithubFleetRemote {
  client: GithubClient;
  owner: string;
}

/**
 * The Golden paths page's data on embedded defaults and its actions: per template, its
 * releases and every service of the local remote made from it (version, releases behind, files
 * its team changed, open upgrade branches); and opening upgrade pull requests for a template.
 * Upgrades, merges and closes run one at a time per process, so two clicks never race on one
 * repository.
 *
 * Given `github`, all of it is read from and done on GitHub instead: the overview from the
 * organisation's repositories (`githubOverview`, drift from shallow clones cached per default
 * branch tip), upgrade pull requests opened (`upgradeGithubFleet`), merged and closed through
 * GitHub's pull request API (`mergeGithubUpgrade`, `closeGithubUpgrade`).
 */
export class GoldenPathFleet {
  private running: Promise<unknown> = Promise.resolve();
  /** On GitHub: what the overview read of each repository, by its default branch's tip. */
  private readonly githubCache: GithubOverviewCache = new Map();

  constructor(
    private readonly repos: LocalRepositories,
    private readonly templatesDir: string,
    private readonly releases: TemplateReleases,
    private readonly github?: GithubFleetRemote,
  ) {}

  /**
   * Every golden path and its services. On GitHub, `drift: false` clones nothing: a service whose
   * drift is not cached from an earlier load is marked `driftNotComputed`.
   */
  async overview(
    options: { drift?: boolean } = {},
  ): Promise<GoldenPathSummary[]> {
    const { github } = this;
    if (github) {
      return githubOverview(github.client, this.releases, {
        owner: github.owner,
        templatesDir: this.templatesDir,
        cache: this.githubCache,
        drift: options.drift,
      });
    }
    return Promise.all(
      listTemplates(this.templatesDir).map(async template => {
        const releases = await this.releases
          .versions(template.name)
          .catch(() => []);
        const names = await servicesOf(this.repos, template.name);
        return {
          name: template.name,
          version: template.version,
          releases,
          services: await Promise.all(
            names.map(n => this.service(n, releases)),
          ),
        };
      }),
    );
  }

  upgrade(
    template: string,
    version: string,
    onState: (state: FleetServiceState) => void,
  ): Promise<FleetServiceState[]> {
    const request = { template, version, onState };
    const { github } = this;
    return this.serialized(() =>
      github
        ? upgradeGithubFleet(github.client, this.releases, {
            ...request,
            owner: github.owner,
          })
        : upgradeLocalFleet(this.repos, this.releases, request),
    );
  }

  /** Merges `service`'s upgrade to `template@version` (conflict-free branches only). */
  merge(
    template: string,
    version: string,
    service: string,
  ): Promise<{ commit: string; url?: string }> {
    const branch = upgradeBranch(template, version);
    const { github } = this;
    return this.serialized(() =>
      github
        ? mergeGithubUpgrade(
            github.client,
            { owner: github.owner, repo: service },
            branch,
          )
        : mergeUpgrade(this.repos, service, branch),
    );
  }

  /** Closes `service`'s upgrade to `template@version` without merging it. */
  close(
    template: string,
    version: string,
    service: string,
  ): Promise<{ url?: string } | void> {
    const branch = upgradeBranch(template, version);
    const { github } = this;
    return this.serialized<{ url?: string } | void>(() =>
      github
        ? closeGithubUpgrade(
            github.client,
            { owner: github.owner, repo: service },
            branch,
          )
        : closeUpgrade(this.repos, service, branch),
    );
  }

  private serialized<T>(work: () => Promise<T>): Promise<T> {
    const next = this.running.then(work);
    this.running = next.catch(() => undefined);
    return next;
  }

  private async service(
    name: string,
    releases: string[],
  ): Promise<FleetService> {
    try {
      const checkout = await this.repos.checkout(name);
      const drift = await serviceDrift(checkout, this.releases);
      const upgrades = await this.openUpgrades(name, drift.template, releases);
      return { name, upgrades, ...drift };
    } catch (error) {
      return { name, error: (error as Error).message };
    }
  }

  private async openUpgrades(
    name: string,
    template: string,
    releases: string[],
  ) {
    const open = await Promise.all(
      releases.map(v => this.repos.hasBranch(name, upgradeBranch(template, v))),
    );
    return releases
      .filter((_, i) => open[i])
      .map(v => upgradeBranch(template, v));
  }
}
