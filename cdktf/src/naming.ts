import { InvalidPropsError } from './errors';

/** The service-name rule every golden path uses (templates/README.md, "Answers"). */
export const SERVICE_NAME_PATTERN = /^[a-z][a-z0-9-]{1,38}[a-z0-9]$/;

/** Names a service may not take: they collide with platform routes, accounts or tooling. */
export const RESERVED_SERVICE_NAMES: ReadonlySet<string> = new Set([
  'admin',
  'api',
  'www',
  'root',
  'system',
  'internal',
  'paver',
  'backstage',
]);

/** Throws {@link InvalidPropsError} unless `name` is a valid, unreserved service name. */
export function assertServiceName(
  name: unknown,
  where: string,
): asserts name is string {
  if (typeof name !== 'string' || !SERVICE_NAME_PATTERN.test(name)) {
    throw new InvalidPropsError(
      `${where}: name ${JSON.stringify(
        name,
      )} must match ${SERVICE_NAME_PATTERN} ` +
        '(lowercase letters, digits and dashes, 3-40 characters, starting with a letter)',
    );
  }
  if (RESERVED_SERVICE_NAMES.has(name)) {
    throw new InvalidPropsError(`${where}: name "${name}" is reserved`);
  }
}

/** A Group entity reference, split. */
export interface GroupRef {
  readonly namespace: string;
  readonly name: string;
}

const ENTITY_PART = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;

/**
 * Reads `group:default/payments`, `group:payments`, `default/payments` or `payments` as a Group
 * reference, the forms Backstage accepts for `spec.owner`. Returns undefined when `ref` names
 * another kind or is malformed.
 */
export function parseGroupRef(
  ref: string,
  defaultNamespace = 'default',
): GroupRef | undefined {
  const match = /^(?:([A-Za-z]+):)?(?:([^/:]+)\/)?([^/:]+)$/.exec(ref.trim());
  if (!match) return undefined;
  const [, kind, namespace = defaultNamespace, name] = match;
  if (kind && kind.toLowerCase() !== 'group') return undefined;
  if (!ENTITY_PART.test(namespace) || !ENTITY_PART.test(name)) return undefined;
  return { namespace: namespace.toLowerCase(), name: name.toLowerCase() };
}

/** `group:default/payments` */
export function formatGroupRef(ref: GroupRef): string {
  return `group:${ref.namespace}/${ref.name}`;
}

/** The slug GitHub gives a team of that name: lowercase, runs of other characters become `-`. */
export function teamSlug(groupName: string): string {
  return groupName
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

const GITHUB_REPOSITORY_NAME = /^[A-Za-z0-9._-]{1,100}$/;

/** Why `name` cannot be a GitHub repository name, or undefined when it can. */
export function githubRepositoryNameIssue(name: string): string | undefined {
  if (!GITHUB_REPOSITORY_NAME.test(name)) {
    return (
      `repository name ${JSON.stringify(
        name,
      )} is not a valid GitHub repository name ` +
      "(1-100 characters: letters, digits, '.', '-' and '_' only)"
    );
  }
  if (name === '.' || name === '..' || name.toLowerCase().endsWith('.git')) {
    return `repository name ${JSON.stringify(name)} is reserved by GitHub`;
  }
  return undefined;
}
