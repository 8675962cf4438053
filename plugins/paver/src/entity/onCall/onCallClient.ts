import type { DiscoveryApi, FetchApi } from '@backstage/frontend-plugin-api';
import { ONCALL_PATH, type OnCallReport } from '@paver/plugin-paver-common';
import { getFromCatalog } from '../../api/catalogRoute';

/** The catalog module's on-call route, through the app's discovery and authenticated fetch. */
export class OnCallClient {
  constructor(
    private readonly discovery: DiscoveryApi,
    private readonly fetchApi: FetchApi,
  ) {}

  /** Who is on call for the entity now (or `at` that instant); CatalogRouteError when refused. */
  report(entityRef: string, at?: Date): Promise<OnCallReport> {
    return getFromCatalog<OnCallReport>(
      { discovery: this.discovery, fetchApi: this.fetchApi },
      ONCALL_PATH,
      { entity: entityRef, ...(at ? { at: at.toISOString() } : {}) },
      `on-call for ${entityRef}`,
    );
  }
}
