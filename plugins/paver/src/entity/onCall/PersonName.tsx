import { Link } from '@backstage/core-components';
import { Link as ExternalLink } from '@material-ui/core';
import type { OnCallPerson } from '@paver/plugin-paver-common';

/** Where an entity ref's page is in this portal (`useEntityRefLink`'s answer, or a test's). */
export type EntityLinker = (entityRef: string) => string;

/**
 * A person's name: linked to their User page when the catalog knows them, else to their page in
 * the pager, else plain text (a rotation member the catalog has no User for).
 */
export function PersonName(props: {
  person: Pick<OnCallPerson, 'name' | 'entityRef' | 'url'>;
  entityLink: EntityLinker;
}) {
  const { person, entityLink } = props;
  if (person.entityRef) {
    return <Link to={entityLink(person.entityRef)}>{person.name}</Link>;
  }
  if (person.url) {
    return (
      <ExternalLink href={person.url} target="_blank" rel="noopener">
        {person.name}
      </ExternalLink>
    );
  }
  return <>{person.name}</>;
}

/** An e-mail address one click from a new message. */
export function MailTo(props: { email: string }) {
  return (
    <ExternalLink href={`mailto:${props.email}`}>{props.email}</ExternalLink>
  );
}
