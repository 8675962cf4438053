import type { DiscoveryApi, FetchApi } from '@backstage/frontend-plugin-api';
import { SLO_PATH, type SloReport } from '@paver/plugin-paver-common';

/** The catalog module's SLO route, through the app's discovery and authenticated fetch. */
export class SloClient {
  constructor(
    private readonly discovery: DiscoveryApi,
    private readonly fetchApi: FetchApi,
  ) {}

  /** The entity's SLOs, with their budgets and firing alerts when Prometheus answered. */
  async report(entityRef: string): Promise<SloReport> {
    const base = await this.discovery.getBaseUrl('catalog');
    const response = await this.fetchApi.fetch(
      `${base}${SLO_PATH}?${new URLSearchParams({ entity: entityRef })}`,
    );
    if (!response.ok) {
      // Backstage's error handler answers `{ error: { message } }`, which is what the card shows.
      const body = await response.json().catch(() => undefined);
      throw new Error(
        body?.error?.message ??
          `SLOs of ${entityRef}: ${response.status} ${response.statusText}`,
      );
    }
    return (await response.json()) as SloReport;
  }
}
