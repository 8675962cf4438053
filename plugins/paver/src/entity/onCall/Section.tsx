import type { ReactNode } from 'react';
import { Box, makeStyles, Typography } from '@material-ui/core';

const useStyles = makeStyles(theme => ({
  // Like the About card's field labels: the card's font, small grey capitals.
  label: {
    fontFamily: 'inherit',
    textTransform: 'uppercase',
    fontWeight: 'bold',
    fontSize: 10,
    letterSpacing: 0.5,
    marginBottom: theme.spacing(0.5),
  },
}));

/** One labelled part of the On call card, a landmark a screen reader (and a test) can find by name. */
export function Section(props: { label: string; children: ReactNode }) {
  const classes = useStyles();
  return (
    <Box component="section" aria-label={props.label} mt={2}>
      <Typography
        component="h4"
        color="textSecondary"
        className={classes.label}
      >
        {props.label}
      </Typography>
      {props.children}
    </Box>
  );
}
