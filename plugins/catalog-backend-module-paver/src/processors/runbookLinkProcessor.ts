import {
  stringifyEntityRef,
  type Entity,
  type EntityLink,
} from '@backstage/catalog-model';
import {
  replaceGithubUrlType,
  type ScmIntegrationRegistry,
} from '@backstage/integration';
import {
  processingResult,
  type CatalogProcessor,
  type CatalogProcessorEmit,
  type LocationSpec,
} from '@backstage/plugin-catalog-node';
import { RUNBOOK_ANNOTATION } from '@paver/plugin-paver-common';

export const RUNBOOK_LINK_TITLE = 'Runbook';

/** What the annotation asks for: a path beside catalog-info.yaml, a URL to link as it is, or nothing safe. */
export type RunbookTarget =
  | { kind: 'path'; path: string }
  | { kind: 'url'; url: string }
  | { kind: 'invalid'; message: string };

// A URL scheme as RFC 3986 spells it: `https:`, but also `javascript:` or `data:`.
const SCHEME = /^[a-z][a-z0-9+.-]*:/i;
// eslint-disable-next-line no-control-regex -- control characters are what it looks for
const CONTROL_OR_BACKSLASH = /[\u0000-\u001f\u007f\\]/;

/**
 * Turns `paver.dev/runbook: docs/runbook.md` into a `metadata.links` entry pointing at the runbook
 * in the service's own repository, resolved against the location the entity was read from, the way
 * the catalog resolves `$text: ./openapi.yaml`. An absolute http(s) value is linked as it is.
 */
export class RunbookLinkProcessor implements CatalogProcessor {
  constructor(private readonly integrations: ScmIntegrationRegistry) {}

  getProcessorName(): string {
    return 'PaverRunbookLinkProcessor';
  }

  async preProcessEntity(
    entity: Entity,
    location: LocationSpec,
    emit: CatalogProcessorEmit,
  ): Promise<Entity> {
    const value = entity.metadata.annotations?.[RUNBOOK_ANNOTATION];
    // A missing or non-string annotation: nothing asked for, or the catalog's validation reports it.
    if (typeof value !== 'string') {
      return entity;
    }
    const target = parseRunbookTarget(value);
    if (target.kind === 'invalid') {
      emit(
        processingResult.inputError(
          location,
          `${stringifyEntityRef(
            entity,
          )}: metadata.annotations["${RUNBOOK_ANNOTATION}"]: ${target.message}`,
        ),
      );
      return entity;
    }
    const url =
      target.kind === 'url'
        ? target.url
        : resolveRunbookUrl(this.integrations, target.path, location);
    return url ? withRunbookLink(entity, url) : entity;
  }
}

/**
 * The URL of a runbook path beside the entity's own file, as the catalog resolves `$text:` refs;
 * undefined where no link can be made (a `file` location, a target the integration cannot parse).
 */
export function resolveRunbookUrl(
  integrations: ScmIntegrationRegistry,
  path: string,
  location: LocationSpec,
): string | undefined {
  // A `file` location is a file on the backend's disk: nothing a browser could open.
  if (location.type !== 'url') {
    return undefined;
  }
  let resolved: string;
  try {
    resolved = integrations.resolveUrl({ url: path, base: location.target });
  } catch {
    // A target the integration cannot parse: the location's own read reports that, not this link.
    return undefined;
  }
  if (!isHttpUrl(resolved)) {
    return undefined;
  }
  // GitHub's resolveUrl answers /tree/, as it cannot tell a file from a folder. The runbook is a
  // file, and /blob/ is GitHub's page for one (no redirect on the way).
  return integrations.github.byUrl(resolved)
    ? replaceGithubUrlType(resolved, 'blob')
    : resolved;
}

/**
 * Reads the annotation's value. A relative path must stay beside or below catalog-info.yaml: no
 * leading `/` (the host's root, or `//other-host`), no `..` segment (also percent-encoded, which a
 * URL parser treats the same), no backslashes or control characters. Any other scheme than http(s)
 * is refused: the portal renders the link, and `javascript:` would run there.
 */
export function parseRunbookTarget(value: string): RunbookTarget {
  const text = value.trim();
  if (text === '') {
    return { kind: 'invalid', message: 'is empty' };
  }
  const scheme = SCHEME.exec(text)?.[0];
  if (scheme) {
    return isHttpUrl(text)
      ? { kind: 'url', url: text }
      : {
          kind: 'invalid',
          message: `must be an http(s) URL or a path relative to catalog-info.yaml, not a "${scheme.toLowerCase()}" URL`,
        };
  }
  if (text.startsWith('/')) {
    return {
      kind: 'invalid',
      message: `must be a path relative to catalog-info.yaml, not start with "/" (${text})`,
    };
  }
  const decoded = decodeFully(text);
  if (decoded === undefined || CONTROL_OR_BACKSLASH.test(decoded)) {
    return {
      kind: 'invalid',
      message: `must be a plain relative path, without backslashes, control characters or malformed escapes (${JSON.stringify(
        text,
      )})`,
    };
  }
  if (decoded.split('/').some(segment => segment === '..')) {
    return {
      kind: 'invalid',
      message: `must stay inside the service's repository: no ".." segments (${text})`,
    };
  }
  return { kind: 'path', path: text };
}

/**
 * The entity with the runbook link added, a new object; the entity itself when the team has its
 * own runbook link (titled like `paver who-owns` looks for one) or that URL is already linked.
 */
function withRunbookLink(entity: Entity, url: string): Entity {
  const links = entity.metadata.links ?? [];
  // Not an array yet: the catalog's validation reports it; adding to it would hide the problem.
  if (!Array.isArray(links)) {
    return entity;
  }
  const alreadyLinked = links.some(
    link => link?.url === url || /runbook/i.test(link?.title ?? ''),
  );
  if (alreadyLinked) {
    return entity;
  }
  const link: EntityLink = { url, title: RUNBOOK_LINK_TITLE, icon: 'docs' };
  return {
    ...entity,
    metadata: { ...entity.metadata, links: [...links, link] },
  };
}

function isHttpUrl(text: string): boolean {
  try {
    const { protocol } = new URL(text);
    return protocol === 'http:' || protocol === 'https:';
  } catch {
    return false;
  }
}

/** Percent-decodes until nothing changes (`%252e` is `%2e` is `.`); undefined if malformed. */
function decodeFully(text: string): string | undefined {
  let current = text;
  for (;;) {
    let next: string;
    try {
      next = decodeURIComponent(current);
    } catch {
      return undefined;
    }
    if (next === current) {
      return current;
    }
    current = next;
  }
}
