import type { Entity } from '@backstage/catalog-model';
import {
  fieldPath,
  type CatalogProblem,
  type EntityViolation,
} from '../problems';
import type { LoadedEntity } from '../types';
import { asRecord, problemAt } from './common';

// Annotations whose value is a location ref `<type>:<target>`; a `url` target is a browsable link.
const LOCATION_REF_ANNOTATIONS = new Set([
  'backstage.io/managed-by-location',
  'backstage.io/managed-by-origin-location',
  'backstage.io/source-location',
  'backstage.io/techdocs-ref',
]);

// Annotation keys named like `backstage.io/view-url` or `paver.dev/runbook-url` hold a link.
const URL_ANNOTATION_KEY = /url$/i;

// Schemes that run script or smuggle content when a portal renders the value as a link.
// eslint-disable-next-line no-script-url -- a list of schemes to refuse, not a link
const SCRIPT_SCHEMES = new Set(['javascript:', 'data:', 'vbscript:']);

/**
 * Links the portal renders must be http(s): `metadata.links[].url` and URL-valued annotations.
 * Backstage's own check only asks that `new URL()` accepts the text, which `javascript:` passes.
 */
export function urlProblems(item: LoadedEntity): CatalogProblem[] {
  return [...linkProblems(item), ...annotationProblems(item)];
}

function linkProblems(item: LoadedEntity): CatalogProblem[] {
  return linkUrlViolations(item.entity).map(violation =>
    problemAt(item, violation.field, violation.message),
  );
}

/**
 * Every `metadata.links[].url` that is not http(s), on an entity from anywhere: the CLI's files
 * (through {@link urlProblems}) and the catalog processor of @paver/plugin-catalog-backend-module-paver.
 */
export function linkUrlViolations(entity: Entity): EntityViolation[] {
  const links = entity.metadata.links;
  if (!Array.isArray(links)) {
    return [];
  }
  return links.flatMap((link, index) => {
    const url = asRecord(link)?.url;
    // A missing or unparsable url is FieldFormatEntityPolicy's to report.
    if (
      typeof url !== 'string' ||
      schemeOf(url) === undefined ||
      isHttpUrl(url)
    ) {
      return [];
    }
    return [
      {
        field: fieldPath(['metadata', 'links', index, 'url']),
        message: notHttpMessage(url),
      },
    ];
  });
}

function annotationProblems(item: LoadedEntity): CatalogProblem[] {
  const annotations = asRecord(item.entity.metadata.annotations) ?? {};
  return Object.entries(annotations).flatMap(([key, value]) => {
    if (typeof value !== 'string') {
      return [];
    }
    const link = linkInAnnotation(key, value);
    if (link === undefined || isHttpUrl(link)) {
      return [];
    }
    return [
      problemAt(
        item,
        fieldPath(['metadata', 'annotations', key]),
        notHttpMessage(link),
      ),
    ];
  });
}

/** The part of an annotation that a portal would follow as a link, if any. */
function linkInAnnotation(key: string, value: string): string | undefined {
  if (LOCATION_REF_ANNOTATIONS.has(key)) {
    const separator = value.indexOf(':');
    return value.slice(0, separator) === 'url'
      ? value.slice(separator + 1)
      : undefined;
  }
  if (URL_ANNOTATION_KEY.test(key)) {
    return value;
  }
  const scheme = schemeOf(value);
  return scheme && SCRIPT_SCHEMES.has(scheme) ? value : undefined;
}

/** True for an absolute http: or https: URL. */
export function isHttpUrl(value: string): boolean {
  const scheme = schemeOf(value);
  return scheme === 'http:' || scheme === 'https:';
}

// Parsed the way a browser does, so ` javascript:` or `java\tscript:` tricks are seen for what they are.
function schemeOf(value: string): string | undefined {
  try {
    return new URL(value).protocol;
  } catch {
    return undefined;
  }
}

function notHttpMessage(url: string): string {
  const scheme = schemeOf(url);
  return scheme
    ? `must be an http(s) URL, not ${scheme}`
    : `must be an absolute http(s) URL, got "${url}"`;
}
