import { RUNBOOK_ANNOTATION } from '@paver/plugin-paver-common';

/** What the runbook lookup reads: an entity's links and annotations. */
export interface RunbookSource {
  metadata: {
    annotations?: Record<string, string>;
    links?: { url: string; title?: string }[];
  };
}

/** Where the runbook is: a URL to open, or a path in the repository when there is no link to one. */
export type Runbook = { url: string } | { path: string };

// Titled like `paver who-owns` and the catalog's RunbookLinkProcessor look for one.
const RUNBOOK_TITLE = /runbook/i;

/**
 * The entity's runbook: the `metadata.links` entry titled like "Runbook" (the catalog adds one for
 * `paver.dev/runbook: docs/runbook.md`, resolved against the service's repository), else the
 * annotation itself when it is an http(s) URL, else the annotation's path as text (the catalog
 * could not resolve it, e.g. a `file` location; still worth showing at 3 a.m.).
 */
export function findRunbook(entity: RunbookSource): Runbook | undefined {
  const links = Array.isArray(entity.metadata.links)
    ? entity.metadata.links
    : [];
  const link = links.find(
    l => RUNBOOK_TITLE.test(l?.title ?? '') && isHttpUrl(l.url),
  );
  if (link) return { url: link.url };
  const value = entity.metadata.annotations?.[RUNBOOK_ANNOTATION]?.trim();
  if (!value) return undefined;
  return isHttpUrl(value) ? { url: value } : { path: value };
}

// Only http(s) is rendered as a link: a `javascript:` runbook would run in the portal.
function isHttpUrl(text: string | undefined): boolean {
  try {
    const { protocol } = new URL(text ?? '');
    return protocol === 'http:' || protocol === 'https:';
  } catch {
    return false;
  }
}
