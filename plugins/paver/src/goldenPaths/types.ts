/** One service as `GET /api/scaffolder/paver/golden-paths` lists it. */
export type FleetService =
  | {
      name: string;
      template: string;
      version: string;
      latest: string;
      behind: number;
      drifted: string[];
      upgrades: string[];
    }
  | { name: string; error: string };

/** One golden path with its releases and its services. */
export interface GoldenPathSummary {
  name: string;
  version: string;
  releases: string[];
  services: FleetService[];
}

/** One line of the upgrade stream: a service's outcome, or the summary at the end. */
export type FleetServiceState =
  | {
      service: string;
      state: 'opened';
      branch: string;
      files: number;
      conflicts: string[];
    }
  | { service: string; state: 'already-open'; branch: string }
  | { service: string; state: 'up-to-date'; version: string }
  | { service: string; state: 'failed'; error: string };
