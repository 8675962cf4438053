import { Fragment } from 'react';
import { Link } from '@backstage/core-components';
import { makeStyles, Typography } from '@material-ui/core';
import type { OnCallEscalationLevel } from '@paver/plugin-paver-common';
import { PersonName, type EntityLinker } from './PersonName';
import { Section } from './Section';

const useStyles = makeStyles(theme => ({
  list: { margin: 0, paddingLeft: theme.spacing(2.5) },
  item: { fontFamily: 'inherit', overflowWrap: 'anywhere' },
}));

/**
 * The escalation policy as it stands now: each level, how long unacknowledged before it is paged,
 * and whom (people by name, schedules linked to their Resource in the catalog).
 */
export function EscalationLevels(props: {
  levels: OnCallEscalationLevel[];
  /** Where the schedules live: the namespace of the entity whose annotation named the schedule. */
  namespace: string;
  entityLink: EntityLinker;
}) {
  const { levels, namespace, entityLink } = props;
  const classes = useStyles();
  if (levels.length === 0) return null;
  return (
    <Section label="Escalation">
      <ol className={classes.list}>
        {levels.map(level => (
          <Typography
            component="li"
            variant="body2"
            className={classes.item}
            key={level.level}
          >
            {describeDelay(level.afterMinutes)}:{' '}
            <Targets
              level={level}
              namespace={namespace}
              entityLink={entityLink}
            />
          </Typography>
        ))}
      </ol>
    </Section>
  );
}

/** "immediately", "after 15 min", "after 1 h 30 min". */
export function describeDelay(minutes: number): string {
  if (minutes <= 0) return 'immediately';
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  if (hours === 0) return `after ${rest} min`;
  return `after ${hours} h${rest ? ` ${rest} min` : ''}`;
}

function Targets(props: {
  level: OnCallEscalationLevel;
  namespace: string;
  entityLink: EntityLinker;
}) {
  const { level, namespace, entityLink } = props;
  const targets = [
    ...level.people.map(person => (
      <PersonName
        key={`person:${person.entityRef ?? person.name}`}
        person={person}
        entityLink={entityLink}
      />
    )),
    ...level.schedules.map(schedule => (
      <Fragment key={`schedule:${schedule}`}>
        <Link to={entityLink(`resource:${namespace}/${schedule}`)}>
          {schedule}
        </Link>{' '}
        (schedule)
      </Fragment>
    )),
  ];
  // A level whose on-call slot is empty right now (a gap in the rotation) pages nobody.
  if (targets.length === 0) return <>nobody right now</>;
  return (
    <>
      {targets.map((target, index) => (
        <Fragment key={target.key}>
          {index > 0 && ', '}
          {target}
        </Fragment>
      ))}
    </>
  );
}
