import type { DiscoveryApi, FetchApi } from '@backstage/frontend-plugin-api';
import { SLO_PATH, type SloReport } from '@paver/plugin-paver-common';
import { getFromCatalog } from '../../api/catalogRoute';

/** The catalog module's SLO route, through the app's discovery and authenticated fetch. */
export class SloClient {
  constructor(
    private readonly discovery: DiscoveryApi,
    private readonly fetchApi: FetchApi,
  ) {}

  /** The entity's SLOs, with their budgets and firing alerts when Prometheus answered. */
  report(entityRef: string): Promise<SloReport> {
    return getFromCatalog<SloReport>(
      { discovery: this.discovery, fetchApi: this.fetchApi },
      SLO_PATH,
      { entity: entityRef },
      `SLOs of ${entityRef}`,
    );
  }
}
