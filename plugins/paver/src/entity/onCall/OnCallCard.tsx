import { Link } from '@backstage/core-components';
import { EntityInfoCard } from '@backstage/plugin-catalog-react';
import {
  Box,
  Link as ExternalLink,
  makeStyles,
  Typography,
} from '@material-ui/core';
import MenuBookIcon from '@material-ui/icons/MenuBook';
import type { OnCallReport } from '@paver/plugin-paver-common';
import { CardProblem } from '../CardProblem';
import { EscalationLevels } from './EscalationLevels';
import { OnCallShifts } from './OnCallShifts';
import type { OwningTeam } from './owningTeam';
import type { EntityLinker } from './PersonName';
import type { Runbook } from './runbook';
import { TeamSection } from './TeamSection';

/** Something the card waits for: still loading, failed with a message to show, or there. */
export type Loadable<T> =
  | { state: 'loading' }
  | { state: 'failed'; message: string }
  | { state: 'loaded'; value: T };

/** What the On call card shows; {@link EntityOnCallCard} reads it for the entity page it is on. */
export interface OnCallCardProps {
  /** The catalog module's on-call report for the entity. */
  onCall: Loadable<OnCallReport>;
  /** The owner and its members; undefined when the entity has no owner. */
  team: Loadable<OwningTeam | undefined>;
  runbook?: Runbook;
  entityLink: EntityLinker;
  /** The viewer's zone, for "your time" beside the schedule's. */
  viewerTimeZone: string;
}

const useStyles = makeStyles(theme => ({
  text: { fontFamily: 'inherit', overflowWrap: 'anywhere' },
  runbook: {
    display: 'inline-flex',
    alignItems: 'center',
    gap: theme.spacing(0.5),
    fontFamily: 'inherit',
    fontWeight: 'bold',
  },
  runbookIcon: { color: 'inherit' },
}));

/**
 * The entity page's "On call" card, for whoever is paged: who is on call now and until when (on
 * the schedule's clock and theirs), who is next, the escalation levels, the owning team and its
 * members, and the runbook and the pager one click away. Each part shows what it has: without a
 * schedule the owner and runbook are still there, with the server's reason for the rest.
 */
export function OnCallCard(props: OnCallCardProps) {
  const { onCall, team, runbook, entityLink, viewerTimeZone } = props;
  const report = onCall.state === 'loaded' ? onCall.value : undefined;
  return (
    <EntityInfoCard
      title="On call"
      // Top right, the first thing after the name of the card: what to do, not only whom to call.
      headerActions={
        runbook && 'url' in runbook && <RunbookLink url={runbook.url} />
      }
    >
      <RunbookNote runbook={runbook} />
      {onCall.state === 'loading' && (
        <Typography variant="body2" color="textSecondary">
          Looking up who is on call…
        </Typography>
      )}
      {onCall.state === 'failed' && <CardProblem>{onCall.message}</CardProblem>}
      {report && (
        <>
          <ScheduleLine report={report} entityLink={entityLink} />
          <OnCallShifts
            report={report}
            entityLink={entityLink}
            viewerTimeZone={viewerTimeZone}
          />
          <EscalationLevels
            levels={report.escalation}
            namespace={namespaceOf(report.schedule.definedOn)}
            entityLink={entityLink}
          />
        </>
      )}
      {team.state === 'failed' && (
        <Box mt={2}>
          <CardProblem>Could not read the owner: {team.message}</CardProblem>
        </Box>
      )}
      {team.state === 'loaded' && team.value && (
        <TeamSection team={team.value} entityLink={entityLink} />
      )}
      {team.state === 'loaded' && !team.value && (
        <Box mt={2}>
          <CardProblem>No owner in the catalog: set spec.owner.</CardProblem>
        </Box>
      )}
    </EntityInfoCard>
  );
}

/** The schedule the answer comes from, linked to its Resource, and where it is read from. */
function ScheduleLine(props: {
  report: OnCallReport;
  entityLink: EntityLinker;
}) {
  const { schedule } = props.report;
  const classes = useStyles();
  const ref = `resource:${namespaceOf(schedule.definedOn)}/${schedule.name}`;
  return (
    <Typography
      variant="body2"
      color="textSecondary"
      className={classes.text}
      data-testid="on-call-schedule"
    >
      <Link to={props.entityLink(ref)}>{schedule.title ?? schedule.name}</Link>
      {/* The pager link says where the answer is from; without one, say it here. */}
      {schedule.source === 'pagerduty' && !schedule.url && ', from PagerDuty'}
      {schedule.url && (
        <>
          {' · '}
          <ExternalLink href={schedule.url} target="_blank" rel="noopener">
            Open in PagerDuty
          </ExternalLink>
        </>
      )}
    </Typography>
  );
}

function RunbookLink(props: { url: string }) {
  const classes = useStyles();
  return (
    <ExternalLink
      href={props.url}
      target="_blank"
      rel="noopener"
      className={classes.runbook}
    >
      <MenuBookIcon fontSize="small" className={classes.runbookIcon} />
      Runbook
    </ExternalLink>
  );
}

/** Says why there is no Runbook link: none is set, or it is a path the catalog could not link. */
function RunbookNote(props: { runbook?: Runbook }) {
  const { runbook } = props;
  const classes = useStyles();
  if (runbook && 'url' in runbook) return null;
  return (
    <Box mb={1}>
      <Typography
        variant="body2"
        color="textSecondary"
        className={classes.text}
      >
        {runbook
          ? // The entity was read from a file, so the catalog had no repository URL to resolve it against.
            `Runbook: ${runbook.path}`
          : 'No runbook: set paver.dev/runbook or a link titled Runbook'}
      </Typography>
    </Box>
  );
}

// `group:default/payments` → `default`.
function namespaceOf(ref: string): string {
  return /^[^:]+:([^/]+)\//.exec(ref)?.[1] ?? 'default';
}
