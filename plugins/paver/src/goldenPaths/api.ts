import type { DiscoveryApi, FetchApi } from '@backstage/frontend-plugin-api';
import {
  GOLDEN_PATHS_PATH,
  type FleetServiceState,
  type GoldenPathSummary,
} from '@paver/plugin-paver-common';

/** The scaffolder's golden-path routes, through the app's discovery and authenticated fetch. */
export class GoldenPathsClient {
  constructor(
    private readonly discovery: DiscoveryApi,
    private readonly fetchApi: FetchApi,
  ) {}

  async list(): Promise<GoldenPathSummary[]> {
    const response = await this.fetchApi.fetch(await this.url());
    if (!response.ok)
      throw new Error(
        `golden paths: ${response.status} ${await response.text()}`,
      );
    return ((await response.json()) as { items: GoldenPathSummary[] }).items;
  }

  /** Opens upgrade pull requests, calling `onState` for each service as its line arrives. */
  async upgrade(
    template: string,
    version: string,
    onState: (state: FleetServiceState) => void,
  ): Promise<void> {
    const response = await this.fetchApi.fetch(
      `${await this.url()}/${encodeURIComponent(template)}/upgrades`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ version }),
      },
    );
    if (!response.ok || !response.body) {
      throw new Error(
        `upgrade ${template}: ${response.status} ${await response.text()}`,
      );
    }
    const reader = response.body
      .pipeThrough(new TextDecoderStream())
      .getReader();
    let buffered = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffered += value;
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines.filter(Boolean)) {
        const parsed = JSON.parse(line);
        if ('service' in parsed) onState(parsed);
        else if (parsed.done === false) throw new Error(parsed.error);
      }
    }
  }

  /** Merges (`merge`) or closes (`close`) a service's upgrade pull request. */
  async settle(
    action: 'merge' | 'close',
    template: string,
    version: string,
    service: string,
  ): Promise<void> {
    const response = await this.fetchApi.fetch(
      `${await this.url()}/${encodeURIComponent(
        template,
      )}/upgrades/${encodeURIComponent(service)}/${action}`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ version }),
      },
    );
    if (!response.ok) {
      const body = await response.json().catch(() => undefined);
      throw new Error(
        body?.error?.message ?? `${action} ${service}: ${response.status}`,
      );
    }
  }

  private async url() {
    const base = await this.discovery.getBaseUrl('scaffolder');
    return `${base}${GOLDEN_PATHS_PATH}`;
  }
}
