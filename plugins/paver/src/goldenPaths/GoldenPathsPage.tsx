import { useCallback, useEffect, useMemo, useState } from 'react';
import {
  Content,
  Header,
  Page,
  Progress,
  WarningPanel,
} from '@backstage/core-components';
import {
  discoveryApiRef,
  fetchApiRef,
  useApi,
} from '@backstage/frontend-plugin-api';
import { Grid } from '@material-ui/core';
import { GoldenPathsClient } from './api';
import { GoldenPathCard } from './GoldenPathCard';
import type { GoldenPathSummary } from '@paver/plugin-paver-common';

/** Per golden path: services on each version, how far behind, what drifted; fleet upgrades. */
export function GoldenPathsPage() {
  const discovery = useApi(discoveryApiRef);
  const fetchApi = useApi(fetchApiRef);
  const client = useMemo(
    () => new GoldenPathsClient(discovery, fetchApi),
    [discovery, fetchApi],
  );
  const [paths, setPaths] = useState<GoldenPathSummary[]>();
  const [error, setError] = useState<string>();
  const load = useCallback(() => {
    client.list().then(setPaths, e => setError((e as Error).message));
  }, [client]);
  useEffect(load, [load]);

  return (
    <Page themeId="tool">
      <Header
        title="Golden paths"
        subtitle="Which version each service is on, what drifted, and upgrades for the fleet"
      />
      <Content>
        {error && (
          <WarningPanel title="Could not load the golden paths">
            {error}
          </WarningPanel>
        )}
        {!paths && !error && <Progress />}
        <Grid container spacing={3}>
          {paths?.map(p => (
            <Grid item xs={12} key={p.name}>
              <GoldenPathCard
                path={p}
                upgrade={(t, v, on) => client.upgrade(t, v, on)}
                settle={(a, t, v, sv) => client.settle(a, t, v, sv)}
                onUpgraded={load}
              />
            </Grid>
          ))}
        </Grid>
      </Content>
    </Page>
  );
}
