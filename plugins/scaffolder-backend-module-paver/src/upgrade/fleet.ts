import { parseServiceRecord } from '@paver/golden-path';
import type { FleetServiceState } from '@paver/plugin-paver-common';

/** What to upgrade the fleet to. */
export interface FleetUpgradeRequest {
  template: string;
  version: string;
  /** Each service's state as soon as it is known, for a progress view. */
  onState?: (state: FleetServiceState) => void;
}

/**
 * Upgrades the services one after the other, reporting each state as it is known. One service
 * failing never stops the others: its error becomes its state (`failed`).
 */
export async function upgradeEach<T, S extends FleetServiceState>(
  services: readonly T[],
  upgradeOne: (service: T) => Promise<S>,
  failed: (service: T, error: Error) => S,
  onState?: (state: S) => void,
): Promise<S[]> {
  const states: S[] = [];
  for (const service of services) {
    const state = await upgradeOne(service).catch((error: Error) =>
      failed(service, error),
    );
    states.push(state);
    onState?.(state);
  }
  return states;
}

/**
 * Whether a service's answers file (its text) makes it one of `template`'s. A file that cannot be
 * read counts as one: the upgrade then reports it as that service's failure, where someone sees it.
 */
export function recordsTemplate(
  answersText: string,
  label: string,
  template: string,
): boolean {
  try {
    return parseServiceRecord(answersText, label).template === template;
  } catch {
    return true;
  }
}
