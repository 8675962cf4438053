import { useMemo } from 'react';
import {
  discoveryApiRef,
  fetchApiRef,
  useApi,
} from '@backstage/frontend-plugin-api';
import {
  catalogApiRef,
  useEntity,
  useEntityRefLink,
} from '@backstage/plugin-catalog-react';
import type { OnCallReport } from '@paver/plugin-paver-common';
import { OnCallCard } from './OnCallCard';
import { OnCallClient } from './onCallClient';
import { entityRefOf } from './onCallEntity';
import { viewerTimeZone } from './onCallTime';
import { loadOwningTeam, type OwningTeam } from './owningTeam';
import { findRunbook } from './runbook';
import { useLoad } from './useLoad';

/** The On call card for the entity page it is on: its on-call report, owning team and runbook. */
export function EntityOnCallCard() {
  const { entity } = useEntity();
  const discovery = useApi(discoveryApiRef);
  const fetchApi = useApi(fetchApiRef);
  const catalogApi = useApi(catalogApiRef);
  const entityLink = useEntityRefLink();
  const client = useMemo(
    () => new OnCallClient(discovery, fetchApi),
    [discovery, fetchApi],
  );
  const entityRef = entityRefOf(entity);

  const onCall = useLoad<OnCallReport>(
    () => client.report(entityRef),
    [client, entityRef],
  );
  // The owner is read separately: with no schedule (a 404 above) it is what the engineer needs.
  const team = useLoad<OwningTeam | undefined>(
    () => loadOwningTeam(catalogApi, entity),
    [catalogApi, entity],
  );
  return (
    <OnCallCard
      onCall={onCall}
      team={team}
      runbook={findRunbook(entity)}
      entityLink={ref => entityLink(ref)}
      viewerTimeZone={viewerTimeZone()}
    />
  );
}
