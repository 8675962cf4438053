import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { Secret } from 'kubernetes-models/v1/Secret';
import { Service } from 'kubernetes-models/v1/Service';
import { ServiceAccount } from 'kubernetes-models/v1/ServiceAccount';
import { REPO_ROOT } from '../backend/backendProcess';

/** deploy/kubernetes: the Kustomize base. */
export const BASE_DIR = join(REPO_ROOT, 'deploy/kubernetes');
/** deploy/overlays/example: how an operator sets image, replicas and namespace. */
export const OVERLAY_DIR = join(REPO_ROOT, 'deploy/overlays/example');
/** The one file in the base that is not a resource: the Secret's keys, placeholders only. */
export const SECRET_EXAMPLE = 'secret.example.yaml';

export type KubeObject = {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
  };
  [field: string]: unknown;
};

export interface ManifestFile {
  /** Relative to the repository root, for messages. */
  file: string;
  objects: KubeObject[];
}

/** A Kustomization as far as these manifests use it. */
export interface Kustomization {
  apiVersion: string;
  kind: string;
  namespace?: string;
  resources?: string[];
  images?: { name: string; newName?: string; newTag?: string }[];
  replicas?: { name: string; count: number }[];
  [field: string]: unknown;
}

/**
 * Kustomization fields (kustomize's `types.Kustomization`, the ones a base or overlay of this size
 * could use). Kustomize rejects a field it does not know; so does this list.
 */
const KUSTOMIZATION_FIELDS = new Set([
  'apiVersion',
  'kind',
  'metadata',
  'resources',
  'components',
  'namespace',
  'namePrefix',
  'nameSuffix',
  'labels',
  'commonLabels',
  'commonAnnotations',
  'images',
  'replicas',
  'patches',
  'configMapGenerator',
  'secretGenerator',
  'generatorOptions',
  'buildMetadata',
]);

type Validatable = { validate(): void };
/** A kubernetes-models class: the API's schema of one kind. */
export type ModelClass = new (data: KubeObject) => Validatable;

/**
 * The kinds the base may contain, keyed `<apiVersion>/<kind>`, each with its kubernetes-models
 * class (the API's schemas). Other manifests pass their own, larger map to {@link validationErrors}.
 */
export const MODELS: Readonly<Record<string, ModelClass>> = {
  'apps/v1/Deployment': Deployment as unknown as ModelClass,
  'v1/Service': Service as unknown as ModelClass,
  'v1/ServiceAccount': ServiceAccount as unknown as ModelClass,
  'v1/Secret': Secret as unknown as ModelClass,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget as unknown as ModelClass,
  'networking.k8s.io/v1/NetworkPolicy': NetworkPolicy as unknown as ModelClass,
};

/** Every YAML document of a file, failing with the file's name on a syntax error. */
export function readYamlFile(path: string): unknown[] {
  return parseYamlDocuments(
    readFileSync(path, 'utf8'),
    relative(REPO_ROOT, path),
  );
}

/** Every YAML document of a text (empty ones dropped), failing with `file` on a syntax error. */
export function parseYamlDocuments(text: string, file: string): unknown[] {
  const docs = parseAllDocuments(text);
  const problems = docs.flatMap(doc => doc.errors.map(e => e.message));
  if (problems.length > 0) {
    throw new Error(`${file}: not valid YAML: ${problems.join('; ')}`);
  }
  return docs.map(doc => doc.toJS()).filter(doc => doc !== null);
}

export function readKustomization(dir: string): Kustomization {
  const [doc] = readYamlFile(join(dir, 'kustomization.yaml'));
  return doc as Kustomization;
}

/** Fields of a kustomization.yaml that Kustomize would not know. */
export function unknownKustomizationFields(k: Kustomization): string[] {
  return Object.keys(k).filter(key => !KUSTOMIZATION_FIELDS.has(key));
}

/** The base's resources, in the kustomization's order, each file with its objects. */
export function readBase(): ManifestFile[] {
  const kustomization = readKustomization(BASE_DIR);
  return (kustomization.resources ?? []).map(resource =>
    readManifestFile(join(BASE_DIR, resource)),
  );
}

export function readManifestFile(path: string): ManifestFile {
  return {
    file: relative(REPO_ROOT, path),
    objects: readYamlFile(path) as KubeObject[],
  };
}

/** The YAML files of a folder (not recursive). */
export function yamlFilesIn(dir: string): string[] {
  return readdirSync(dir)
    .filter(name => /\.ya?ml$/.test(name))
    .sort();
}

/**
 * Everything wrong with one object against the Kubernetes API's schemas: the schema's own errors
 * (`data/spec/replicas must be integer`) and every field the schema does not know, which the API
 * server rejects under kubectl's default strict field validation while the schema alone lets it
 * pass. Each message names the file, the object and the field. `models` are the kinds it knows:
 * the Paver backend's base by default.
 */
export function validationErrors(
  file: string,
  obj: KubeObject,
  models: Readonly<Record<string, ModelClass>> = MODELS,
): string[] {
  const where = `${file}: ${obj?.kind ?? '(no kind)'} ${
    obj?.metadata?.name ?? '(no name)'
  }`;
  const model = models[`${obj?.apiVersion}/${obj?.kind}`];
  if (!model) {
    return [
      `${where}: no schema for apiVersion ${obj?.apiVersion}, kind ${obj?.kind}`,
    ];
  }
  const schemaErrors = schemaErrorsOf(model, obj).map(
    e => `${where}: data${e.instancePath} ${e.message}`,
  );
  const unknown = unknownFields(model, obj).map(
    path => `${where}: data${path} is not a field of ${obj.kind}`,
  );
  return [...schemaErrors, ...unknown];
}

interface SchemaError {
  instancePath: string;
  message: string;
}

function schemaErrorsOf(Model: ModelClass, obj: unknown): SchemaError[] {
  try {
    new Model(obj as KubeObject).validate();
    return [];
  } catch (error) {
    const errors = (error as { errors?: SchemaError[] }).errors;
    if (!errors) throw error;
    return errors;
  }
}

/**
 * JSON pointers (as the schema errors write them) of fields the schema does not know. The schemas
 * do not forbid extra properties, so each field is probed: its value is replaced by one no schema
 * type accepts (a symbol) and the object validated again; a known field reports an error at its
 * own path, an unknown one reports nothing. Known objects and arrays are probed field by field.
 */
export function unknownFields(model: ModelClass, obj: unknown): string[] {
  const unknown: string[] = [];
  const probe = (path: (string | number)[], value: unknown): void => {
    if (Array.isArray(value)) {
      value.forEach((item, i) => probe([...path, i], item));
      return;
    }
    if (!value || typeof value !== 'object') return;
    for (const [key, child] of Object.entries(value)) {
      const childPath = [...path, key];
      const pointer = toPointer(childPath);
      const errors = schemaErrorsOf(model, replaced(obj, childPath));
      if (!errors.some(e => e.instancePath === pointer)) {
        unknown.push(pointer);
      } else {
        probe(childPath, child);
      }
    }
  };
  probe([], obj);
  return unknown;
}

const NOT_A_VALUE = Symbol('not a Kubernetes value');

function replaced(obj: unknown, path: (string | number)[]): unknown {
  const copy = structuredClone(obj) as Record<string | number, unknown>;
  let node = copy;
  for (const key of path.slice(0, -1)) {
    node = node[key] as Record<string | number, unknown>;
  }
  node[path[path.length - 1]] = NOT_A_VALUE;
  return copy;
}

function toPointer(path: (string | number)[]): string {
  return path
    .map(key => `/${String(key).replace(/~/g, '~0').replace(/\//g, '~1')}`)
    .join('');
}

/** The one object of the given kind in the base, failing when there is none or more than one. */
export function only<T = KubeObject>(files: ManifestFile[], kind: string): T {
  const found = files.flatMap(f => f.objects).filter(o => o.kind === kind);
  if (found.length !== 1) {
    throw new Error(`expected one ${kind} in the base, found ${found.length}`);
  }
  return found[0] as T;
}

/** True when every label of the selector is set, to the same value, on the labels. */
export function selects(
  selector: Record<string, string> | undefined,
  labels: Record<string, string> | undefined,
): boolean {
  const entries = Object.entries(selector ?? {});
  return (
    entries.length > 0 &&
    entries.every(([key, value]) => labels?.[key] === value)
  );
}

/**
 * The names app-config.production.yaml substitutes from the environment: each `${NAME}` in a
 * string value (Backstage's config substitution; `$${...}` is an escaped literal, not one).
 */
export function substitutedVariables(configPath: string): string[] {
  const names = new Set<string>();
  const walk = (value: unknown): void => {
    if (typeof value === 'string') {
      for (const match of value.matchAll(
        /(?<!\$)\$\{\s*([A-Za-z_][\w]*)\s*\}/g,
      )) {
        names.add(match[1]);
      }
    } else if (Array.isArray(value)) {
      value.forEach(walk);
    } else if (value && typeof value === 'object') {
      Object.values(value).forEach(walk);
    }
  };
  walk(parse(readFileSync(configPath, 'utf8')));
  return [...names].sort();
}

/** Kubernetes quantities as the manifests write them (`768Mi`, `1Gi`, `250m`, `1`) in bytes or cores. */
export function quantity(value: string | number): number {
  const match = /^([0-9.]+)(m|Ki|Mi|Gi|Ti|k|M|G|T)?$/.exec(String(value));
  if (!match) throw new Error(`not a quantity: ${value}`);
  const factors: Record<string, number> = {
    m: 1e-3,
    k: 1e3,
    M: 1e6,
    G: 1e9,
    T: 1e12,
    Ki: 2 ** 10,
    Mi: 2 ** 20,
    Gi: 2 ** 30,
    Ti: 2 ** 40,
  };
  return Number(match[1]) * (match[2] ? factors[match[2]] : 1);
}

/**
 * What `kubectl apply -k <overlay>` would send, for the few transformers the example overlay uses
 * (namespace, images, replicas), applied to the base it references. Enough to validate the result
 * and to see the operator's settings land; not a Kustomize.
 */
export function renderOverlay(dir: string): KubeObject[] {
  const overlay = readKustomization(dir);
  const objects = (overlay.resources ?? []).flatMap(resource => {
    const target = resolve(dir, resource);
    if (!existsSync(join(target, 'kustomization.yaml'))) {
      return readManifestFile(target).objects;
    }
    const base = readKustomization(target);
    return (base.resources ?? []).flatMap(
      r => readManifestFile(join(target, r)).objects,
    );
  });
  return objects.map(original => {
    const obj = structuredClone(original);
    if (overlay.namespace) obj.metadata.namespace = overlay.namespace;
    const spec = obj.spec as
      | {
          replicas?: number;
          template?: { spec?: { containers?: { image?: string }[] } };
        }
      | undefined;
    for (const r of overlay.replicas ?? []) {
      if (obj.kind === 'Deployment' && obj.metadata.name === r.name && spec) {
        spec.replicas = r.count;
      }
    }
    for (const container of spec?.template?.spec?.containers ?? []) {
      const image = overlay.images?.find(i => i.name === container.image);
      if (image) {
        container.image = `${image.newName ?? image.name}${
          image.newTag ? `:${image.newTag}` : ''
        }`;
      }
    }
    return obj;
  });
}
