import { Link } from '@backstage/core-components';
import { EntityInfoCard } from '@backstage/plugin-catalog-react';
import { makeStyles, Typography } from '@material-ui/core';
import type { OnCallReport } from '@paver/plugin-paver-common';
import type { Loadable } from '../entity/onCall/OnCallCard';
import { OnCallShifts } from '../entity/onCall/OnCallShifts';
import type { EntityLinker } from '../entity/onCall/PersonName';
import type { Team } from './teams';

const useStyles = makeStyles({
  text: { fontFamily: 'inherit', overflowWrap: 'anywhere' },
});

/**
 * One team on the home page: who is on call for it now and until when, and who is next; the
 * team's name leads to its Group page, where its services and their On call cards are.
 */
export function TeamOnCallCard(props: {
  team: Team;
  onCall: Loadable<OnCallReport>;
  entityLink: EntityLinker;
  viewerTimeZone: string;
}) {
  const { team, onCall, entityLink, viewerTimeZone } = props;
  const classes = useStyles();
  return (
    <EntityInfoCard
      title={<Link to={entityLink(team.entityRef)}>{team.name}</Link>}
    >
      {onCall.state === 'loading' && (
        <Typography variant="body2" color="textSecondary">
          Looking up who is on call…
        </Typography>
      )}
      {onCall.state === 'failed' && (
        <Typography
          variant="body2"
          color="textSecondary"
          className={classes.text}
          role="status"
        >
          {onCall.message}
        </Typography>
      )}
      {onCall.state === 'loaded' && (
        <>
          <Typography
            variant="body2"
            color="textSecondary"
            className={classes.text}
          >
            {onCall.value.schedule.title ?? onCall.value.schedule.name}
          </Typography>
          <OnCallShifts
            report={onCall.value}
            entityLink={entityLink}
            viewerTimeZone={viewerTimeZone}
          />
        </>
      )}
    </EntityInfoCard>
  );
}
