// The contract of the Golden paths routes (scaffolder module) and page (plugins/paver).

/** Below the scaffolder's base URL: `/api/scaffolder/paver/golden-paths`. */
export const GOLDEN_PATHS_PATH = '/paver/golden-paths';

/** The branch an upgrade pull request comes from: one per template version. */
export const upgradeBranch = (template: string, version: string): string =>
  `paver/upgrade-${template}-${version}`;

/** The version an upgrade branch of `template` moves to. */
export const upgradeVersion = (template: string, branch: string): string =>
  branch.slice(upgradeBranch(template, '').length);

/** Where a service stands against its golden path. */
export interface ServiceCurrency {
  template: string;
  version: string;
  /** The newest release of its template. */
  latest: string;
  /** Releases newer than the service's. */
  behind: number;
  /** Template files the repository changed or deleted, sorted. */
  drifted: string[];
  /**
   * Set when `drifted` could not be computed (it is [] then), and why: on GitHub drift needs a
   * clone of the repository, made only when asked and when its default branch moved.
   */
  driftNotComputed?: string;
}

/** One service on the page: its currency and open upgrade branches, or why it could not be read. */
export type FleetService =
  | ({
      name: string;
      upgrades: string[];
      /** The pull request of each upgrade branch, by branch, where there is one (GitHub). */
      upgradeUrls?: Record<string, string>;
    } & ServiceCurrency)
  | { name: string; error: string };

/** One golden path: the working copy's version, its releases, its services. */
export interface GoldenPathSummary {
  name: string;
  version: string;
  releases: string[];
  services: FleetService[];
}

/** Where one service of a fleet upgrade ended up (one NDJSON line of the upgrade route). */
export type FleetServiceState =
  | {
      service: string;
      state: 'opened';
      branch: string;
      files: number;
      conflicts: string[];
      /** The pull request opened (GitHub). */
      url?: string;
      /** The writes made for it, in order (GitHub: `push`, `pull-request`). */
      writes?: string[];
    }
  | {
      service: string;
      state: 'already-open';
      branch: string;
      /** The pull request found open (GitHub). */
      url?: string;
      /** None: a rerun that finds the pull request open writes nothing. */
      writes?: string[];
    }
  | { service: string; state: 'up-to-date'; version: string }
  | { service: string; state: 'failed'; error: string };
