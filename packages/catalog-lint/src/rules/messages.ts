import { fieldPath, WHOLE_DOCUMENT } from '../problems';

/** A Backstage validation message split into the field it is about and what is wrong with it. */
export interface LocatedMessage {
  field: string;
  message: string;
}

const FIELD_FORMAT_INVALID =
  /^"([^"]+)" is not valid;\s*(.*?)\s*(To learn more about catalog file format.*)?$/s;
const FIELD_FORMAT_MISSING = /^(\S+) must have a value$/;
const FIELD_FORMAT_UNCHECKABLE = /^(\S+) could not be validated, (.*)$/s;
const UNKNOWN_ROOT_FIELD = /^Unknown field (.+)$/;
const AJV_ERROR =
  /^(?:Malformed envelope, )?(<root>|\/\S*) (.*?)(?: - (.*))?$/s;

/**
 * Backstage's policies and kind validators throw plain messages with the field embedded in one of
 * a few shapes (FieldFormatEntityPolicy's `"links.0.url" is not valid; ...`, ajv's `/spec must
 * have required property 'owner' - missingProperty: owner`). This turns them into a JSON-ish field
 * path plus the rest of the message; anything unrecognised is kept whole against the document.
 */
export function locateBackstageMessage(text: string): LocatedMessage {
  let match = FIELD_FORMAT_INVALID.exec(text);
  if (match) {
    return {
      field: fieldFormatPath(match[1]),
      message: match[2] || 'is not valid',
    };
  }
  match =
    FIELD_FORMAT_MISSING.exec(text) ?? FIELD_FORMAT_UNCHECKABLE.exec(text);
  if (match) {
    return {
      field: fieldFormatPath(match[1]),
      message: match[2] ?? 'must have a value',
    };
  }
  match = UNKNOWN_ROOT_FIELD.exec(text);
  if (match) {
    return {
      field: fieldPath([match[1]]),
      message:
        'is not allowed at the root (only apiVersion, kind, metadata, spec)',
    };
  }
  match = AJV_ERROR.exec(text);
  if (match) {
    return ajvLocation(match[1], match[2], match[3]);
  }
  return { field: WHOLE_DOCUMENT, message: text };
}

// FieldFormatEntityPolicy names metadata fields without their `metadata.` prefix, and uses dots
// for list indexes; annotation and label keys may themselves contain dots.
function fieldFormatPath(raw: string): string {
  const [head, ...rest] = raw.split('.');
  if (head === 'labels' || head === 'annotations') {
    return fieldPath(['metadata', head, rest.join('.')]);
  }
  if (head === 'tags' || head === 'links') {
    return fieldPath(['metadata', head, ...rest.map(asIndexOrKey)]);
  }
  return fieldPath([head, ...rest.map(asIndexOrKey)]);
}

function ajvLocation(
  instancePath: string,
  message: string,
  params: string | undefined,
): LocatedMessage {
  const segments: Array<string | number> =
    instancePath === '<root>'
      ? []
      : instancePath.slice(1).split('/').map(unescapePointer).map(asIndexOrKey);
  // The offending property is named in ajv's params, or only in the message when params are dropped.
  const named =
    (params && /^(?:missingProperty|additionalProperty): (.+)$/.exec(params)) ||
    /^must have required property '(.+)'$/.exec(message);
  if (named) {
    segments.push(named[1]);
  }
  const detail = named || !params ? '' : ` (${params})`;
  return {
    field: segments.length ? fieldPath(segments) : WHOLE_DOCUMENT,
    message: `${message}${detail}`,
  };
}

function unescapePointer(segment: string): string {
  return segment.replace(/~1/g, '/').replace(/~0/g, '~');
}

function asIndexOrKey(segment: string): string | number {
  return /^\d+$/.test(segment) ? Number(segment) : segment;
}
