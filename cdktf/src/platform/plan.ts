import { CatalogEntityError } from '../errors';
import {
  formatGroupRef,
  githubRepositoryNameIssue,
  parseGroupRef,
  teamSlug,
} from '../naming';
import { DATASTORES, type Datastore } from '../domain-service/props';
import { entityRef, isKind, type CatalogEntity } from './entities';

/** Backstage's standard annotation naming a Component's repository as `org/repo`. */
export const PROJECT_SLUG_ANNOTATION = 'github.com/project-slug';

/** The datastore a golden path records on its Component (`paver.dev/datastore`). */
export const DATASTORE_ANNOTATION = 'paver.dev/datastore';

/** IAM role names are at most 64 characters and carry a `-ci-deploy` suffix. */
const MAX_REPOSITORY_NAME = 54;

/** One Component, checked and ready to become a stack. */
export interface ComponentPlan {
  readonly ref: string;
  readonly namespace: string;
  readonly name: string;
  readonly description?: string;
  readonly repositoryName: string;
  readonly ownerRef: string;
  readonly ownerName: string;
  readonly ownerTeamSlug: string;
  /** From `paver.dev/datastore`, when it names one; what the runtime role may touch. */
  readonly datastore?: Datastore;
}

/** A Group that owns at least one Component, and so gets a GitHub team. */
export interface TeamPlan {
  readonly ref: string;
  readonly name: string;
  readonly slug: string;
  readonly description?: string;
}

export interface PlatformPlan {
  readonly components: readonly ComponentPlan[];
  readonly teams: readonly TeamPlan[];
}

/**
 * Turns catalog entities into stack plans. Every problem is collected and thrown together as one
 * {@link CatalogEntityError}, each line naming its entity, so one run shows everything to fix.
 */
export function planPlatform(entities: readonly CatalogEntity[]): PlatformPlan {
  const groups = new Map(
    entities.filter(e => isKind(e, 'group')).map(g => [entityRef(g), g]),
  );
  const problems: string[] = [];
  const components: ComponentPlan[] = [];
  const repositories = new Map<string, string>();
  for (const entity of entities.filter(e => isKind(e, 'component'))) {
    const planned = planComponent(entity, groups, problems);
    if (!planned) continue;
    const claimedBy = repositories.get(planned.repositoryName.toLowerCase());
    if (claimedBy) {
      problems.push(
        `${planned.ref}: repository "${planned.repositoryName}" is already claimed by ${claimedBy}`,
      );
      continue;
    }
    repositories.set(planned.repositoryName.toLowerCase(), planned.ref);
    components.push(planned);
  }
  if (problems.length > 0) throw new CatalogEntityError(problems);
  return { components, teams: teamsOwning(components, groups) };
}

function planComponent(
  entity: CatalogEntity,
  groups: Map<string, CatalogEntity>,
  problems: string[],
): ComponentPlan | undefined {
  const ref = entityRef(entity);
  const namespace = (entity.metadata.namespace ?? 'default').toLowerCase();
  const rawOwner = entity.spec?.owner;
  const owner =
    typeof rawOwner === 'string'
      ? parseGroupRef(rawOwner, namespace)
      : undefined;
  if (!owner) {
    problems.push(
      `${ref}: spec.owner ${JSON.stringify(rawOwner)} is not a Group reference`,
    );
    return undefined;
  }
  const ownerRef = formatGroupRef(owner);
  const repositoryName = repositoryNameOf(entity);
  const issues = [
    groups.has(ownerRef) ? undefined : `owner ${ownerRef} does not exist`,
    githubRepositoryNameIssue(repositoryName),
    repositoryName.length > MAX_REPOSITORY_NAME
      ? `repository name "${repositoryName}" is over ${MAX_REPOSITORY_NAME} characters, too long for its CI role names`
      : undefined,
  ].filter((issue): issue is string => issue !== undefined);
  if (issues.length > 0) {
    problems.push(...issues.map(issue => `${ref}: ${issue}`));
    return undefined;
  }
  return {
    ref,
    namespace,
    name: entity.metadata.name,
    description: entity.metadata.description,
    repositoryName,
    ownerRef,
    ownerName: owner.name,
    ownerTeamSlug: teamSlug(owner.name),
    datastore: datastoreOf(entity),
  };
}

function repositoryNameOf(entity: CatalogEntity): string {
  const slug = entity.metadata.annotations?.[PROJECT_SLUG_ANNOTATION];
  return typeof slug === 'string' && slug.includes('/')
    ? slug.slice(slug.indexOf('/') + 1)
    : entity.metadata.name;
}

function teamsOwning(
  components: readonly ComponentPlan[],
  groups: Map<string, CatalogEntity>,
): TeamPlan[] {
  const owners = [...new Set(components.map(c => c.ownerRef))].sort();
  return owners.map(ref => {
    const group = groups.get(ref)!;
    return {
      ref,
      name: group.metadata.name,
      slug: teamSlug(group.metadata.name),
      description: group.metadata.description,
    };
  });
}

function datastoreOf(entity: CatalogEntity): Datastore | undefined {
  const value = entity.metadata.annotations?.[DATASTORE_ANNOTATION];
  return DATASTORES.find(datastore => datastore === value);
}
