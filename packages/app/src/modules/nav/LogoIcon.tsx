import { makeStyles } from '@material-ui/core';
import { PaverSlabs } from './PaverMark';

const useStyles = makeStyles({
  svg: {
    width: 'auto',
    height: 28,
  },
});

/** Paver's mark alone, for the collapsed sidebar. */
export const LogoIcon = () => {
  const classes = useStyles();

  return (
    <svg
      className={classes.svg}
      xmlns="http://www.w3.org/2000/svg"
      viewBox="0 0 32 32"
      role="img"
      aria-label="Paver"
    >
      <title>Paver</title>
      <PaverSlabs />
    </svg>
  );
};
