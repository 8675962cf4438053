import { makeStyles } from '@material-ui/core';
import { PaverSlabs } from './PaverMark';

const useStyles = makeStyles({
  svg: {
    width: 'auto',
    height: 30,
  },
  wordmark: {
    fill: '#ffffff',
    fontFamily: '"Helvetica Neue", Helvetica, Roboto, Arial, sans-serif',
    fontSize: 22,
    fontWeight: 700,
    letterSpacing: 0.5,
  },
});

/** Paver's mark and wordmark, for the open sidebar (white text: the sidebar is dark). */
export const LogoFull = () => {
  const classes = useStyles();

  return (
    <svg
      className={classes.svg}
      xmlns="http://www.w3.org/2000/svg"
      viewBox="0 0 112 32"
      role="img"
      aria-label="Paver"
    >
      <title>Paver</title>
      <PaverSlabs />
      <text className={classes.wordmark} x={38} y={24}>
        Paver
      </text>
    </svg>
  );
};
