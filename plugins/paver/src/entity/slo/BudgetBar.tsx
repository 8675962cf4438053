import { Box, makeStyles, Typography } from '@material-ui/core';
import { budgetLevel, formatBudget, type BudgetLevel } from './sloFormat';

// The repository's scale (the Golden paths page's CurrencyBar): green, amber, red.
const COLOURS: Record<BudgetLevel, string> = {
  healthy: '#2e7d32',
  low: '#f9a825',
  critical: '#c62828',
};

const useStyles = makeStyles(theme => ({
  row: { display: 'flex', alignItems: 'center', gap: theme.spacing(1) },
  track: {
    flex: 1,
    height: 10,
    borderRadius: 5,
    overflow: 'hidden',
    backgroundColor: theme.palette.action.hover,
  },
  fill: { height: '100%' },
  label: { fontFamily: 'inherit', minWidth: '9em', textAlign: 'right' },
}));

/**
 * An objective's error budget remaining as a bar as wide as the share left (empty once spent or
 * overspent) and the percentage beside it, coloured by {@link budgetLevel}.
 */
export function BudgetBar(props: { remaining: number; label: string }) {
  const { remaining, label } = props;
  const classes = useStyles();
  const level = budgetLevel(remaining);
  const shown = Math.min(Math.max(remaining, 0), 1) * 100;
  const text =
    remaining < 0
      ? `overspent (${formatBudget(remaining)})`
      : `${formatBudget(remaining)} left`;
  return (
    <Box className={classes.row}>
      <div
        className={classes.track}
        role="meter"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={shown}
        aria-valuetext={text}
      >
        <div
          data-testid="budget-fill"
          className={classes.fill}
          style={{ width: `${shown}%`, backgroundColor: COLOURS[level] }}
        />
      </div>
      <Typography variant="body2" className={classes.label}>
        {text}
      </Typography>
    </Box>
  );
}
