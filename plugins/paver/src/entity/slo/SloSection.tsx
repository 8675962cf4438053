import { Link } from '@backstage/core-components';
import {
  Box,
  Link as ExternalLink,
  makeStyles,
  Typography,
} from '@material-ui/core';
import NotificationsActiveIcon from '@material-ui/icons/NotificationsActive';
import type {
  SloAlert,
  SloObjectiveReport,
  SloReport,
  SloSummary,
} from '@paver/plugin-paver-common';
import { BudgetBar } from './BudgetBar';
import { formatTarget, formatWindow } from './sloFormat';

const useStyles = makeStyles(theme => ({
  text: { fontFamily: 'inherit', overflowWrap: 'anywhere' },
  objectives: { margin: theme.spacing(1, 0, 0), padding: 0, listStyle: 'none' },
  objective: { marginBottom: theme.spacing(1) },
  alerts: { margin: theme.spacing(0.5, 0, 0), paddingLeft: theme.spacing(2.5) },
  alert: { fontFamily: 'inherit', color: theme.palette.error.main },
  links: {
    display: 'flex',
    gap: theme.spacing(2),
    marginTop: theme.spacing(1),
  },
}));

/** Where the report's budgets come from, for what an objective without one says. */
type Prometheus = Pick<SloReport, 'prometheusConfigured' | 'prometheusError'>;

/**
 * One SLO on the card: its name linked to the SLO entity, its window, each objective with the
 * budget left, the burn alerts firing now, and its slo.yaml and generated rules.
 */
export function SloSection(props: {
  slo: SloSummary;
  prometheus: Prometheus;
  entityLink: (ref: string) => string;
}) {
  const { slo, prometheus, entityLink } = props;
  const classes = useStyles();
  const name = slo.title ?? slo.name;
  return (
    <Box component="section" aria-label={name} mt={2}>
      <Typography variant="subtitle2" component="h4" className={classes.text}>
        <Link to={entityLink(slo.entityRef)}>{name}</Link>
      </Typography>
      <Typography
        variant="body2"
        color="textSecondary"
        className={classes.text}
      >
        {formatWindow(slo.window)} · {slo.budgetingMethod}
      </Typography>
      <ul className={classes.objectives} aria-label="Objectives">
        {slo.objectives.map(objective => (
          <li className={classes.objective} key={objective.target}>
            <Objective objective={objective} prometheus={prometheus} />
          </li>
        ))}
      </ul>
      <Alerts alerts={slo.alerts} />
      <Box className={classes.links}>
        <ExternalLink href={slo.source} target="_blank" rel="noopener">
          SLO definition
        </ExternalLink>
        {slo.rules && (
          <ExternalLink href={slo.rules} target="_blank" rel="noopener">
            Alerting rules
          </ExternalLink>
        )}
      </Box>
    </Box>
  );
}

function Objective(props: {
  objective: SloObjectiveReport;
  prometheus: Prometheus;
}) {
  const { objective, prometheus } = props;
  const classes = useStyles();
  const target = formatTarget(objective.target);
  const title = objective.displayName
    ? `${target} ${objective.displayName}`
    : target;
  return (
    <>
      <Typography variant="body2" className={classes.text}>
        {title}
      </Typography>
      {objective.budget === null ? (
        <Typography
          variant="body2"
          color="textSecondary"
          className={classes.text}
        >
          {missingBudget(prometheus)}
        </Typography>
      ) : (
        <BudgetBar
          remaining={objective.budget}
          label={`Error budget remaining for ${target}`}
        />
      )}
    </>
  );
}

/** Why an objective has no budget: no Prometheus, Prometheus failing, or no series for it. */
function missingBudget(prometheus: Prometheus): string {
  if (!prometheus.prometheusConfigured) return 'no Prometheus configured';
  if (prometheus.prometheusError)
    return 'budget unknown: Prometheus did not answer';
  return 'no data in Prometheus: are the generated rules loaded?';
}

function Alerts(props: { alerts: SloAlert[] | null }) {
  const classes = useStyles();
  // null: Prometheus was not asked or did not answer; the card says so once, above.
  if (props.alerts === null) return null;
  if (props.alerts.length === 0) {
    return (
      <Typography
        variant="body2"
        color="textSecondary"
        className={classes.text}
      >
        No burn alerts firing
      </Typography>
    );
  }
  return (
    <ul className={classes.alerts} aria-label="Alerts firing">
      {props.alerts.map(alert => (
        <Typography
          component="li"
          variant="body2"
          className={classes.alert}
          key={`${alert.name}-${alert.objective}`}
        >
          <NotificationsActiveIcon fontSize="inherit" /> {describeAlert(alert)}
        </Typography>
      ))}
    </ul>
  );
}

/** "SloErrorBudgetBurnPage (page) for 99 %". */
function describeAlert(alert: SloAlert): string {
  const severity = alert.severity ? ` (${alert.severity})` : '';
  const objective = alert.objective
    ? ` for ${formatTarget(Number(alert.objective))}`
    : '';
  return `${alert.name}${severity}${objective}`;
}
