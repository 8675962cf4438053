import type { RootConfigService } from '@backstage/backend-plugin-api';
import { PrometheusApi } from './prometheusApi';

/**
 * `paver.slo.prometheus.baseUrl` → the Prometheus the SLO card reads budgets and alerts from;
 * none when unset, and the card shows the SLOs without them.
 */
export function sloPrometheusFromConfig(
  config: RootConfigService,
): PrometheusApi | undefined {
  const baseUrl = config.getOptionalString('paver.slo.prometheus.baseUrl');
  return baseUrl ? new PrometheusApi({ baseUrl }) : undefined;
}
