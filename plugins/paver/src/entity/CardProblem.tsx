import type { ReactNode } from 'react';
import { makeStyles, Typography } from '@material-ui/core';
import WarningIcon from '@material-ui/icons/Warning';

const useStyles = makeStyles(theme => ({
  problem: {
    display: 'flex',
    gap: theme.spacing(1),
    alignItems: 'flex-start',
    fontFamily: 'inherit',
    // Server messages carry long entity refs and URLs; let them break rather than widen the card.
    overflowWrap: 'anywhere',
  },
  problemIcon: { color: theme.palette.warning.main, flexShrink: 0 },
}));

/**
 * A line in an entity card saying why part of it is missing: a warning icon and the reason.
 * It is a status, so assistive technology reads it out when it replaces a loading line.
 */
export function CardProblem(props: { children: ReactNode }) {
  const classes = useStyles();
  return (
    <Typography variant="body2" className={classes.problem} role="status">
      <WarningIcon fontSize="small" className={classes.problemIcon} />
      <span>{props.children}</span>
    </Typography>
  );
}
