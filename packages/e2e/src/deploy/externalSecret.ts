import type { KubeObject } from './manifests';

// ExternalSecret is the External Secrets Operator's custom resource: kubernetes-models has no
// schema for it, so this checks by hand the fields the generated base uses, against the
// operator's v1 API (external-secrets.io/v1, served since 0.16 and the only version from 0.17).
// A field outside this list is reported, as the API server would refuse an unknown field.

export const EXTERNAL_SECRET_API = 'external-secrets.io/v1';

type Check = (value: unknown) => string | undefined;
interface Shape {
  required?: string[];
  fields: Record<string, Check | Shape>;
}

const isString: Check = v =>
  typeof v === 'string' && v !== '' ? undefined : 'must be a non-empty string';
const oneOf =
  (...allowed: string[]): Check =>
  v =>
    allowed.includes(v as string)
      ? undefined
      : `must be one of ${allowed.join(', ')}`;
// Go durations as the operator parses them: `1h`, `15m`, `1h30m`.
const isDuration: Check = v =>
  typeof v === 'string' && /^(\d+(h|m|s))+$/.test(v)
    ? undefined
    : 'must be a duration such as 1h';
const isStringMap: Check = v =>
  v &&
  typeof v === 'object' &&
  !Array.isArray(v) &&
  Object.values(v).every(s => typeof s === 'string')
    ? undefined
    : 'must map names to strings';
const listOf =
  (shape: Shape): Check =>
  v =>
    Array.isArray(v) && v.length > 0
      ? v.flatMap((item, i) => problems(shape, item, `/${i}`)).join('; ') ||
        undefined
      : 'must be a non-empty list';

const EXTERNAL_SECRET: Shape = {
  required: ['apiVersion', 'kind', 'metadata', 'spec'],
  fields: {
    apiVersion: oneOf(EXTERNAL_SECRET_API),
    kind: oneOf('ExternalSecret'),
    metadata: {
      required: ['name'],
      fields: { name: isString, labels: isStringMap, annotations: isStringMap },
    },
    spec: {
      required: ['secretStoreRef', 'target'],
      fields: {
        refreshInterval: isDuration,
        secretStoreRef: {
          required: ['kind', 'name'],
          fields: {
            kind: oneOf('SecretStore', 'ClusterSecretStore'),
            name: isString,
          },
        },
        target: {
          required: ['name'],
          fields: {
            name: isString,
            creationPolicy: oneOf('Owner', 'Orphan', 'Merge', 'None'),
            deletionPolicy: oneOf('Retain', 'Delete', 'Merge'),
            template: {
              fields: {
                engineVersion: oneOf('v2'),
                type: isString,
                mergePolicy: oneOf('Replace', 'Merge'),
                data: isStringMap,
              },
            },
          },
        },
        data: listOf({
          required: ['secretKey', 'remoteRef'],
          fields: {
            secretKey: isString,
            remoteRef: { required: ['key'], fields: { key: isString } },
          },
        }),
        dataFrom: listOf({
          required: ['extract'],
          fields: {
            extract: { required: ['key'], fields: { key: isString } },
          },
        }),
      },
    },
  },
};

function problems(shape: Shape, value: unknown, path: string): string[] {
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    return [`${path || '/'} must be an object`];
  }
  const record = value as Record<string, unknown>;
  const missing = (shape.required ?? [])
    .filter(key => record[key] === undefined)
    .map(key => `${path}/${key} is required`);
  const wrong = Object.entries(record).flatMap(([key, child]) => {
    const check = shape.fields[key];
    if (!check) return [`${path}/${key} is not a field of ExternalSecret`];
    if (typeof check !== 'function') {
      return problems(check, child, `${path}/${key}`);
    }
    const problem = check(child);
    return problem ? [`${path}/${key} ${problem}`] : [];
  });
  return [...missing, ...wrong];
}

/** Everything wrong with an ExternalSecret as far as the fields above go, each naming its path. */
export function externalSecretProblems(obj: KubeObject): string[] {
  return problems(EXTERNAL_SECRET, obj, '');
}

/** The remote fields a template reads: `.password` in `{{ .password | urlquery }}`. */
export function templateFields(template: string): string[] {
  return [...template.matchAll(/\{\{-?\s*\.(\w+)/g)].map(m => m[1]);
}

/** Go's url.QueryEscape: everything but letters, digits and `-_.~` escaped, space as `+`. */
export function goQueryEscape(value: string): string {
  return encodeURIComponent(value)
    .replace(/[!'()*]/g, c => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%20/g, '+');
}

/**
 * The operator's rendering of a template with `fields`, for the two forms the base uses,
 * `{{ .f }}` and `{{ .f | urlquery }}`; anything else in `{{ }}` throws, so a new function is
 * noticed rather than passed over.
 */
export function renderOperatorTemplate(
  template: string,
  fields: Record<string, string>,
): string {
  return template.replace(/\{\{(.*?)\}\}/g, (whole, inner: string) => {
    const match = /^\s*\.(\w+)\s*(\|\s*urlquery\s*)?$/.exec(inner);
    if (!match) throw new Error(`not emulated: ${whole}`);
    const value = fields[match[1]];
    if (value === undefined) throw new Error(`no field ${match[1]}`);
    return match[2] ? goQueryEscape(value) : value;
  });
}
