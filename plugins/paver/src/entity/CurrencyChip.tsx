import { Chip, makeStyles } from '@material-ui/core';
import CheckCircleIcon from '@material-ui/icons/CheckCircle';
import HelpOutlineIcon from '@material-ui/icons/HelpOutline';
import UpdateIcon from '@material-ui/icons/Update';
import { describeBehind } from './templateCurrency';

// The Golden paths page's scale (its CurrencyBar): green when current, warmer each release behind;
// dark text on the amber, which white would not stand out on.
const SCALE = [
  { background: '#2e7d32', text: '#fff' },
  { background: '#f9a825', text: 'rgba(0, 0, 0, 0.87)' },
  { background: '#ef6c00', text: '#fff' },
  { background: '#c62828', text: '#fff' },
];

const useStyles = makeStyles({
  // The card's font, not Material UI's, like the rest of the entity page.
  chip: { fontFamily: 'inherit', fontWeight: 600 },
  icon: { color: 'inherit' },
});

/** "up to date" in green or "N releases behind" in amber to red; "not a release" when unknown. */
export function CurrencyChip(props: { behind?: number }) {
  const classes = useStyles();
  const { behind } = props;
  if (behind === undefined) {
    return (
      <Chip
        size="small"
        label="not a release"
        icon={<HelpOutlineIcon />}
        className={classes.chip}
        data-testid="template-currency"
      />
    );
  }
  const colours = SCALE[Math.min(behind, SCALE.length - 1)];
  return (
    <Chip
      size="small"
      label={describeBehind(behind)}
      icon={behind === 0 ? <CheckCircleIcon /> : <UpdateIcon />}
      classes={{ root: classes.chip, icon: classes.icon }}
      style={{ backgroundColor: colours.background, color: colours.text }}
      data-testid="template-currency"
    />
  );
}
