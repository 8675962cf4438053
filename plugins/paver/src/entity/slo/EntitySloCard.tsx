import { useEffect, useMemo, useState } from 'react';
import {
  discoveryApiRef,
  fetchApiRef,
  useApi,
} from '@backstage/frontend-plugin-api';
import { useEntity, useEntityRefLink } from '@backstage/plugin-catalog-react';
import { SloCard, type SloCardState } from './SloCard';
import { SloClient } from './sloClient';
import { sloRouteRefOf } from './sloEntity';

/** The SLO card for the entity page it is on: the SLO route's report for the entity. */
export function EntitySloCard() {
  const { entity } = useEntity();
  const discovery = useApi(discoveryApiRef);
  const fetchApi = useApi(fetchApiRef);
  const entityLink = useEntityRefLink();
  const client = useMemo(
    () => new SloClient(discovery, fetchApi),
    [discovery, fetchApi],
  );
  const entityRef = sloRouteRefOf(entity);
  const [slos, setSlos] = useState<SloCardState>({ state: 'loading' });
  useEffect(() => {
    // Only the latest entity's answer is shown: an earlier one may arrive after it.
    let current = true;
    setSlos({ state: 'loading' });
    client.report(entityRef).then(
      report => current && setSlos({ state: 'loaded', report }),
      error =>
        current &&
        setSlos({ state: 'failed', message: (error as Error).message }),
    );
    return () => {
      current = false;
    };
  }, [client, entityRef]);
  return <SloCard slos={slos} entityLink={ref => entityLink(ref)} />;
}
