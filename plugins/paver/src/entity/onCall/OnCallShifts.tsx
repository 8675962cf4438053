import { Box, Chip, makeStyles, Typography } from '@material-ui/core';
import type { OnCallReport, OnCallShift } from '@paver/plugin-paver-common';
import { showInstant } from './onCallTime';
import { MailTo, PersonName, type EntityLinker } from './PersonName';
import { Section } from './Section';

const useStyles = makeStyles(theme => ({
  // The one thing to read at 3 a.m.: bigger than anything else on the card.
  nowName: {
    fontFamily: 'inherit',
    fontWeight: 'bold',
    fontSize: '1.25rem',
    lineHeight: 1.3,
    overflowWrap: 'anywhere',
  },
  override: {
    fontFamily: 'inherit',
    fontWeight: 600,
    marginLeft: theme.spacing(1),
    verticalAlign: 'middle',
  },
  text: { fontFamily: 'inherit', overflowWrap: 'anywhere' },
}));

/** Who is on call now, prominently, with until when; then who is next and from when. */
export function OnCallShifts(props: {
  report: OnCallReport;
  entityLink: EntityLinker;
  viewerTimeZone: string;
}) {
  const { report, entityLink, viewerTimeZone } = props;
  const classes = useStyles();
  const zone = report.schedule.timeZone;
  return (
    <>
      <Section label="On call now">
        {report.now ? (
          <>
            <Typography component="div" className={classes.nowName}>
              <PersonName person={report.now.person} entityLink={entityLink} />
              {report.now.override && (
                <Chip
                  size="small"
                  color="secondary"
                  label="override"
                  className={classes.override}
                  data-testid="on-call-override"
                />
              )}
            </Typography>
            {report.now.person.email && (
              <Typography variant="body2" className={classes.text}>
                <MailTo email={report.now.person.email} />
              </Typography>
            )}
            <Boundary
              word="until"
              iso={report.now.until}
              open="with no end set"
              zone={zone}
              viewerTimeZone={viewerTimeZone}
            />
          </>
        ) : (
          <Typography variant="body2" className={classes.text}>
            Nobody is on call right now; the escalation below still pages.
          </Typography>
        )}
      </Section>
      {report.next && (
        <NextShift
          shift={report.next}
          entityLink={entityLink}
          zone={zone}
          viewerTimeZone={viewerTimeZone}
        />
      )}
    </>
  );
}

function NextShift(props: {
  shift: OnCallShift;
  entityLink: EntityLinker;
  zone?: string;
  viewerTimeZone: string;
}) {
  const { shift, entityLink, zone, viewerTimeZone } = props;
  const classes = useStyles();
  return (
    <Section label="Next">
      <Typography variant="body2" className={classes.text}>
        <b>
          <PersonName person={shift.person} entityLink={entityLink} />
        </b>
        {shift.override && ' (override)'}
      </Typography>
      <Boundary
        word="from"
        iso={shift.from}
        open="already"
        zone={zone}
        viewerTimeZone={viewerTimeZone}
      />
    </Section>
  );
}

/** "until Mon 2026-03-09 09:00 Europe/Berlin", and the same on the viewer's clock below it. */
function Boundary(props: {
  word: 'until' | 'from';
  iso: string | null;
  /** What an open bound means, in words. */
  open: string;
  zone?: string;
  viewerTimeZone: string;
}) {
  const classes = useStyles();
  if (!props.iso) {
    return (
      <Typography variant="body2" color="textSecondary">
        {props.open}
      </Typography>
    );
  }
  const shown = showInstant(props.iso, props.zone, props.viewerTimeZone);
  return (
    <Box data-testid={`on-call-${props.word}`}>
      <Typography variant="body2" className={classes.text}>
        {props.word} {shown.primary}
      </Typography>
      {shown.local && (
        <Typography
          variant="body2"
          color="textSecondary"
          className={classes.text}
        >
          {shown.local} (your time)
        </Typography>
      )}
    </Box>
  );
}
