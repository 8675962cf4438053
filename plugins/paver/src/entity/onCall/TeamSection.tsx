import { Link } from '@backstage/core-components';
import { makeStyles, Typography } from '@material-ui/core';
import type { OwningTeam } from './owningTeam';
import { MailTo, type EntityLinker } from './PersonName';
import { Section } from './Section';

const useStyles = makeStyles({
  owner: { fontFamily: 'inherit', fontWeight: 'bold' },
  members: { listStyle: 'none', margin: 0, padding: 0 },
  member: { fontFamily: 'inherit', overflowWrap: 'anywhere' },
});

/** The owning team, linked to its Group page, and its members with their e-mail addresses. */
export function TeamSection(props: {
  team: OwningTeam;
  entityLink: EntityLinker;
}) {
  const { team, entityLink } = props;
  const classes = useStyles();
  return (
    <Section label="Owner">
      <Typography variant="body2" className={classes.owner}>
        <Link to={entityLink(team.entityRef)}>{team.name}</Link>
      </Typography>
      {team.members.length > 0 && (
        <ul className={classes.members} aria-label="Team members">
          {team.members.map(member => (
            <Typography
              component="li"
              variant="body2"
              className={classes.member}
              key={member.entityRef}
            >
              <Link to={entityLink(member.entityRef)}>{member.name}</Link>
              {member.email && (
                <>
                  {' · '}
                  <MailTo email={member.email} />
                </>
              )}
            </Typography>
          ))}
        </ul>
      )}
    </Section>
  );
}
