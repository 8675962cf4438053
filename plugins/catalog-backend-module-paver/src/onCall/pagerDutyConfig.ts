import type { RootConfigService } from '@backstage/backend-plugin-api';
import { PagerDutyOnCall } from './pagerDutyOnCall';

/**
 * `paver.onCall.pagerduty: { token, baseUrl? }` → a PagerDuty client; none when unset, and
 * schedules are then computed from the catalog. The token is a REST API key (read-only is enough).
 */
export function pagerDutyFromConfig(
  config: RootConfigService,
): PagerDutyOnCall | undefined {
  const pd = config.getOptionalConfig('paver.onCall.pagerduty');
  if (!pd) return undefined;
  return new PagerDutyOnCall({
    token: pd.getString('token'),
    baseUrl: pd.getOptionalString('baseUrl'),
  });
}
