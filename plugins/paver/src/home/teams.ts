import type { IdentityApi } from '@backstage/frontend-plugin-api';
import {
  CATALOG_FILTER_EXISTS,
  type CatalogApi,
} from '@backstage/plugin-catalog-react';
import { ONCALL_ANNOTATION } from '@paver/plugin-paver-common';
import { entityRefOf } from '../entity/onCall/onCallEntity';

/** A team the home page shows the on-call of. */
export interface Team {
  entityRef: string;
  name: string;
}

/** The teams to show: the signed-in user's, or every team with a rotation when they are in none. */
export interface TeamsToShow {
  mine: boolean;
  teams: Team[];
}

interface GroupLike {
  kind: string;
  metadata: { name: string; namespace?: string; title?: string };
  spec?: { profile?: { displayName?: string } };
}

/**
 * The signed-in user's teams: the Groups among their ownership refs (their own ref and the Groups
 * they are a member of, as the sign-in resolver put them in the token). Someone in no team (the
 * guest, a new hire) is shown every team that has an on-call rotation instead: at 3 a.m. the
 * question is who to call, not whose team it is.
 */
export async function loadTeams(
  identityApi: Pick<IdentityApi, 'getBackstageIdentity'>,
  catalogApi: Pick<CatalogApi, 'getEntitiesByRefs' | 'getEntities'>,
): Promise<TeamsToShow> {
  const { ownershipEntityRefs } = await identityApi.getBackstageIdentity();
  const groupRefs = ownershipEntityRefs.filter(ref =>
    ref.toLowerCase().startsWith('group:'),
  );
  if (groupRefs.length > 0) {
    const { items } = await catalogApi.getEntitiesByRefs({
      entityRefs: groupRefs,
      fields: ['kind', 'metadata', 'spec.profile'],
    });
    const teams = groupRefs.map((ref, index) => {
      const group = items[index] as GroupLike | undefined;
      return {
        entityRef: ref,
        name: group ? teamName(group) : ref.replace(/^.*\//, ''),
      };
    });
    return { mine: true, teams: byName(teams) };
  }
  const { items } = await catalogApi.getEntities({
    filter: {
      kind: 'Group',
      [`metadata.annotations.${ONCALL_ANNOTATION}`]: CATALOG_FILTER_EXISTS,
    },
    fields: ['kind', 'metadata', 'spec.profile'],
  });
  const teams = (items as GroupLike[]).map(group => ({
    entityRef: entityRefOf(group),
    name: teamName(group),
  }));
  return { mine: false, teams: byName(teams) };
}

function teamName(group: GroupLike): string {
  return (
    group.spec?.profile?.displayName ??
    group.metadata.title ??
    group.metadata.name
  );
}

function byName(teams: Team[]): Team[] {
  return [...teams].sort((a, b) => a.name.localeCompare(b.name));
}
