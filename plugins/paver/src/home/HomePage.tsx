import { useMemo } from 'react';
import { Content, Header, Page } from '@backstage/core-components';
import {
  discoveryApiRef,
  fetchApiRef,
  identityApiRef,
  useApi,
} from '@backstage/frontend-plugin-api';
import {
  catalogApiRef,
  useEntityRefLink,
} from '@backstage/plugin-catalog-react';
import { Box, Grid, makeStyles, Typography } from '@material-ui/core';
import type { Loadable } from '../entity/onCall/OnCallCard';
import { OnCallClient } from '../entity/onCall/onCallClient';
import { viewerTimeZone } from '../entity/onCall/onCallTime';
import type { EntityLinker } from '../entity/onCall/PersonName';
import { useLoad } from '../entity/onCall/useLoad';
import { SearchBox } from './SearchBox';
import { TeamOnCallCard } from './TeamOnCallCard';
import { loadTeams, type Team, type TeamsToShow } from './teams';

const useStyles = makeStyles(theme => ({
  heading: { fontFamily: 'inherit', fontWeight: 'bold' },
  note: { fontFamily: 'inherit', marginBottom: theme.spacing(2) },
}));

/**
 * The portal's home page (`/`), for whoever opens it paged: the search box first, then who is on
 * call now for their teams (every team's, when they are in none).
 */
export function HomePage() {
  const identityApi = useApi(identityApiRef);
  const catalogApi = useApi(catalogApiRef);
  const teams = useLoad(
    () => loadTeams(identityApi, catalogApi),
    [identityApi, catalogApi],
  );
  return (
    <Page themeId="home">
      <Header
        title="Paver"
        subtitle="Find a service, who owns it and who is on call now"
      />
      <Content>
        <Box mb={4}>
          <SearchBox />
        </Box>
        <OnCallNow teams={teams} />
      </Content>
    </Page>
  );
}

/** "On call now": one card per team, each asking the on-call route for its Group. */
export function OnCallNow(props: { teams: Loadable<TeamsToShow> }) {
  const { teams } = props;
  const classes = useStyles();
  const entityLink = useEntityRefLink();
  return (
    <section aria-label="On call now">
      <Typography variant="h5" component="h2" className={classes.heading}>
        On call now
      </Typography>
      {teams.state === 'loading' && (
        <Typography variant="body2" color="textSecondary">
          Looking up your teams…
        </Typography>
      )}
      {teams.state === 'failed' && (
        <Typography variant="body2" role="status">
          Could not read your teams: {teams.message}
        </Typography>
      )}
      {teams.state === 'loaded' && (
        <>
          <Typography
            variant="body2"
            color="textSecondary"
            className={classes.note}
          >
            {describeTeams(teams.value)}
          </Typography>
          <Grid container spacing={3}>
            {teams.value.teams.map(team => (
              <Grid item xs={12} md={6} lg={4} key={team.entityRef}>
                <LoadedTeamOnCall
                  team={team}
                  entityLink={ref => entityLink(ref)}
                />
              </Grid>
            ))}
          </Grid>
        </>
      )}
    </section>
  );
}

function describeTeams(shown: TeamsToShow): string {
  if (shown.mine) return 'For your teams.';
  if (shown.teams.length === 0)
    return 'You are in no team, and no team has an on-call rotation (paver.dev/oncall on its Group).';
  return 'You are in no team, so here is every team with an on-call rotation.';
}

function LoadedTeamOnCall(props: { team: Team; entityLink: EntityLinker }) {
  const discovery = useApi(discoveryApiRef);
  const fetchApi = useApi(fetchApiRef);
  const client = useMemo(
    () => new OnCallClient(discovery, fetchApi),
    [discovery, fetchApi],
  );
  const { entityRef } = props.team;
  const onCall = useLoad(() => client.report(entityRef), [client, entityRef]);
  return (
    <TeamOnCallCard
      team={props.team}
      onCall={onCall}
      entityLink={props.entityLink}
      viewerTimeZone={viewerTimeZone()}
    />
  );
}
