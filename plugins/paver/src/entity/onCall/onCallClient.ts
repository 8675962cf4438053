import type { DiscoveryApi, FetchApi } from '@backstage/frontend-plugin-api';
import { ONCALL_PATH, type OnCallReport } from '@paver/plugin-paver-common';

/** The on-call route refused: `status` 404 when something is missing, `message` the server's reason. */
export class OnCallRequestError extends Error {
  constructor(message: string, readonly status: number) {
    super(message);
    this.name = 'OnCallRequestError';
  }
}

/** The catalog module's on-call route, through the app's discovery and authenticated fetch. */
export class OnCallClient {
  constructor(
    private readonly discovery: DiscoveryApi,
    private readonly fetchApi: FetchApi,
  ) {}

  /** Who is on call for the entity now (or `at` that instant). */
  async report(entityRef: string, at?: Date): Promise<OnCallReport> {
    const query = new URLSearchParams({ entity: entityRef });
    if (at) query.set('at', at.toISOString());
    const base = await this.discovery.getBaseUrl('catalog');
    const response = await this.fetchApi.fetch(
      `${base}${ONCALL_PATH}?${query}`,
    );
    if (!response.ok) {
      // Backstage's error handler answers `{ error: { message } }`; the 404s name what is missing
      // ("… has no on-call schedule: set paver.dev/oncall …"), which is what the card shows.
      const body = await response.json().catch(() => undefined);
      throw new OnCallRequestError(
        body?.error?.message ??
          `on-call for ${entityRef}: ${response.status} ${response.statusText}`,
        response.status,
      );
    }
    return (await response.json()) as OnCallReport;
  }
}
