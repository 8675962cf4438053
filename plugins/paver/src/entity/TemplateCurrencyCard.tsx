import type { ReactNode } from 'react';
import { Link } from '@backstage/core-components';
import { EntityInfoCard } from '@backstage/plugin-catalog-react';
import { Box, makeStyles, Typography } from '@material-ui/core';
import { CurrencyChip } from './CurrencyChip';
import type { TemplateCurrency } from './templateCurrency';

const useStyles = makeStyles(theme => ({
  fields: {
    display: 'grid',
    gridTemplateColumns: 'repeat(3, minmax(0, 1fr))',
    gap: theme.spacing(2),
    margin: 0,
  },
  // Like the About card's fields beside it: the card's font, small grey labels, bold values.
  label: {
    fontFamily: 'inherit',
    textTransform: 'uppercase',
    fontWeight: 'bold',
    fontSize: 10,
    letterSpacing: 0.5,
  },
  value: {
    fontFamily: 'inherit',
    fontWeight: 'bold',
    margin: theme.spacing(0.5, 0, 0),
    overflowWrap: 'anywhere',
  },
  note: {
    fontFamily: 'inherit',
  },
}));

/**
 * An entity's golden path: the template and version it was generated from, the newest release,
 * and how far behind it is, with a link to the Golden paths page where the fleet is upgraded.
 */
export function TemplateCurrencyCard(props: {
  currency: TemplateCurrency;
  /** The Golden paths page; no link when the app has no such route. */
  goldenPathsLink?: string;
}) {
  const { currency, goldenPathsLink } = props;
  const classes = useStyles();
  return (
    <EntityInfoCard
      title="Golden path"
      headerActions={<CurrencyChip behind={currency.behind} />}
      footerActions={
        goldenPathsLink && (
          <Link to={goldenPathsLink}>View on Golden paths</Link>
        )
      }
    >
      <dl className={classes.fields} aria-label="Golden path">
        <Field label="Template">{currency.template}</Field>
        <Field label="Version">{currency.version}</Field>
        <Field label="Latest release">{currency.latest ?? 'unknown'}</Field>
      </dl>
      {currency.latest === undefined && (
        <Box mt={2}>
          <Typography
            variant="body2"
            color="textSecondary"
            className={classes.note}
          >
            {currency.version} is not a release of {currency.template} the
            catalog knows, so it cannot tell how far behind it is.
          </Typography>
        </Box>
      )}
    </EntityInfoCard>
  );
}

function Field(props: { label: string; children: ReactNode }) {
  const classes = useStyles();
  return (
    <div>
      <Typography
        component="dt"
        color="textSecondary"
        className={classes.label}
      >
        {props.label}
      </Typography>
      <Typography component="dd" variant="body2" className={classes.value}>
        {props.children}
      </Typography>
    </div>
  );
}
