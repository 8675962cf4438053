import { readFileSync } from 'node:fs';
import { posix } from 'node:path';
import {
  loadTemplate,
  parseAnswersYaml,
  renderToMemory,
  type Answers,
} from '@paver/golden-path';
import { TEST_PLATFORM } from '@paver/test-utils';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import type { FixtureTemplate } from '../services/golden-paths';
import {
  MODELS,
  type KubeObject,
  type Kustomization,
  type ManifestFile,
  type ModelClass,
  parseYamlDocuments,
} from './manifests';

// A generated service's deploy/kubernetes, rendered in memory from a golden path's fixture
// answers, and the few Kustomize transformers its kustomization.yaml uses, so the test can check
// both what is committed and what the deploy job applies. No cluster, kubectl or Kustomize.

/** Where a generated service keeps its Kustomize base. */
export const MANIFEST_DIR = 'deploy/kubernetes/';

/** The Paver backend's kinds plus the autoscaler a generated service adds. */
export const SERVICE_MODELS: Readonly<Record<string, ModelClass>> = {
  ...MODELS,
  'autoscaling/v2/HorizontalPodAutoscaler':
    HorizontalPodAutoscaler as unknown as ModelClass,
};

export interface PolicyPort {
  port: string | number;
  protocol?: string;
}
export interface NetworkPolicyObject extends KubeObject {
  spec: {
    podSelector: { matchLabels: Record<string, string> };
    policyTypes: string[];
    ingress: { from?: unknown[]; ports?: PolicyPort[] }[];
    egress: {
      to?: {
        podSelector?: { matchLabels?: Record<string, string> };
        namespaceSelector?: { matchLabels?: Record<string, string> };
      }[];
      ports?: PolicyPort[];
    }[];
  };
}
export interface ExternalSecretObject extends KubeObject {
  spec: {
    secretStoreRef: { kind: string; name: string };
    target: { name: string; template?: { data: Record<string, string> } };
    dataFrom?: { extract: { key: string } }[];
    data?: { secretKey: string; remoteRef: { key: string } }[];
  };
}

/** Every Secrets Manager name an ExternalSecret reads, whole (`dataFrom`) or by key (`data`). */
export function remoteKeys(external: ExternalSecretObject): string[] {
  return [
    ...(external.spec.dataFrom ?? []).map(d => d.extract.key),
    ...(external.spec.data ?? []).map(d => d.remoteRef.key),
  ];
}

export interface RenderedService {
  answers: Answers;
  /** Every rendered file: path in the generated repository → text. */
  files: Map<string, string>;
  kustomization: Kustomization;
  /** YAML files in deploy/kubernetes other than kustomization.yaml, sorted. */
  manifestFiles: string[];
  /** The kustomization's resources, in its order, each file with its objects. */
  resources: ManifestFile[];
}

export function renderService(template: FixtureTemplate): RenderedService {
  const answers = parseAnswersYaml(readFileSync(template.answersFile, 'utf8'));
  const rendered = renderToMemory(loadTemplate(template.dir), answers, {
    platform: TEST_PLATFORM,
  });
  const files = new Map(
    [...rendered].map(([path, body]) => [path, body.toString('utf8')]),
  );
  const read = (path: string): string => {
    const text = files.get(path);
    if (text === undefined) throw new Error(`${path} was not rendered`);
    return text;
  };
  const kustomizationPath = `${MANIFEST_DIR}kustomization.yaml`;
  const [kustomization] = parseYamlDocuments(
    read(kustomizationPath),
    kustomizationPath,
  ) as Kustomization[];
  const manifestFiles = [...files.keys()]
    .filter(path => path.startsWith(MANIFEST_DIR))
    .map(path => path.slice(MANIFEST_DIR.length))
    .filter(name => !name.includes('/') && /\.ya?ml$/.test(name))
    .filter(name => name !== 'kustomization.yaml')
    .sort();
  const resources = (kustomization.resources ?? []).map(resource => {
    const path = `${MANIFEST_DIR}${resource}`;
    return {
      file: path,
      objects: parseYamlDocuments(read(path), path) as KubeObject[],
    };
  });
  return { answers, files, kustomization, manifestFiles, resources };
}

interface LabelsEntry {
  pairs: Record<string, string>;
  includeSelectors?: boolean;
  includeTemplates?: boolean;
}
interface PatchEntry {
  patch?: string;
  path?: string;
  target?: unknown;
}
type PodOwner = {
  spec?: {
    template?: {
      metadata?: { labels?: Record<string, string> };
      spec?: { containers?: { image: string }[] };
    };
  };
};

/**
 * What `kustomize build` makes of the resources with the kustomization's inline strategic-merge
 * `patches`, `labels` (selectors untouched) and `images`: enough for these bases, not a Kustomize.
 * What it does not emulate (patch files, targets, includeSelectors) throws rather than pass.
 */
export function kustomizeBuild(
  kustomization: Kustomization,
  resources: ManifestFile[],
): KubeObject[] {
  const labels = (kustomization.labels ?? []) as LabelsEntry[];
  if (labels.some(entry => entry.includeSelectors)) {
    throw new Error('includeSelectors is not emulated');
  }
  const patches = ((kustomization.patches ?? []) as PatchEntry[]).map(entry => {
    if (!entry.patch || entry.path || entry.target) {
      throw new Error('only inline strategic-merge patches are emulated');
    }
    return parseYamlDocuments(entry.patch, 'patch')[0] as KubeObject;
  });
  return resources
    .flatMap(r => r.objects)
    .map(original => {
      let obj = structuredClone(original);
      for (const patch of patches) {
        if (
          patch.kind === obj.kind &&
          patch.metadata.name === obj.metadata.name
        ) {
          obj = strategicMerge(obj, patch) as KubeObject;
        }
      }
      const pod = (obj as PodOwner).spec?.template;
      for (const entry of labels) {
        obj.metadata.labels = { ...obj.metadata.labels, ...entry.pairs };
        if (entry.includeTemplates && pod) {
          pod.metadata = {
            ...pod.metadata,
            labels: { ...pod.metadata?.labels, ...entry.pairs },
          };
        }
      }
      for (const container of pod?.spec?.containers ?? []) {
        container.image = setImage(container.image, kustomization.images);
      }
      return obj;
    });
}

/**
 * A strategic merge as far as these patches go: maps merge key by key, lists of named items
 * (containers, env, volumes) merge by `name`, any other list replaces the original.
 */
export function strategicMerge(original: unknown, patch: unknown): unknown {
  const named = (list: unknown[]) =>
    list.every(
      item => item && typeof item === 'object' && 'name' in (item as object),
    );
  if (Array.isArray(original) && Array.isArray(patch)) {
    if (!named(original) || !named(patch)) return structuredClone(patch);
    const merged = original.map(item => {
      const change = patch.find(p => p.name === item.name);
      return change ? strategicMerge(item, change) : item;
    });
    const added = patch.filter(p => !original.some(o => o.name === p.name));
    return [...merged, ...added];
  }
  if (
    original &&
    patch &&
    typeof original === 'object' &&
    typeof patch === 'object' &&
    !Array.isArray(original) &&
    !Array.isArray(patch)
  ) {
    const merged: Record<string, unknown> = { ...original };
    for (const [key, value] of Object.entries(patch)) {
      merged[key] = key in merged ? strategicMerge(merged[key], value) : value;
    }
    return merged;
  }
  return structuredClone(patch);
}

function setImage(image: string, images: Kustomization['images']): string {
  const [name, tag] = image.split(':');
  const edit = images?.find(i => i.name === name);
  if (!edit) return image;
  const newTag = edit.newTag ?? tag;
  return `${edit.newName ?? name}${newTag ? `:${newTag}` : ''}`;
}

/** The kustomization after `kustomize edit set image <name>=<newName>:<newTag>`. */
export function withImage(
  kustomization: Kustomization,
  name: string,
  newName: string,
  newTag: string,
): Kustomization {
  const others = (kustomization.images ?? []).filter(i => i.name !== name);
  return { ...kustomization, images: [...others, { name, newName, newTag }] };
}

/**
 * Every string value holding `${…}` or `{{…}}`, by path: a placeholder nothing will fill in. The
 * `skip` paths hold another tool's templates on purpose (the ExternalSecret's).
 */
export function unresolvedPlaceholders(
  value: unknown,
  skip: readonly string[] = [],
  path = '',
): string[] {
  if (skip.includes(path)) return [];
  if (typeof value === 'string') {
    return /\$\{|\{\{|\}\}/.test(value) ? [`${path}: ${value}`] : [];
  }
  if (Array.isArray(value)) {
    return value.flatMap((item, i) =>
      unresolvedPlaceholders(item, skip, `${path}/${i}`),
    );
  }
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, child]) =>
      unresolvedPlaceholders(child, skip, `${path}/${key}`),
    );
  }
  return [];
}

/** The sleep seconds of a `preStop: exec: sleep N` hook, or undefined. */
export function preStopSleepSeconds(container: {
  lifecycle?: { preStop?: { exec?: { command?: string[] } } };
}): number | undefined {
  const [command, seconds] = container.lifecycle?.preStop?.exec?.command ?? [];
  return command === 'sleep' ? Number(seconds) : undefined;
}

/**
 * The rendered source files `entry` loads, itself included, following relative imports (`./x.js`
 * is `x.ts` in the source): what one process of the service runs.
 */
export function importClosure(
  files: Map<string, string>,
  entry: string,
): string[] {
  const seen = new Set<string>();
  const visit = (path: string): void => {
    if (seen.has(path) || !files.has(path)) return;
    seen.add(path);
    const dir = posix.dirname(path);
    for (const match of files
      .get(path)!
      .matchAll(/\bfrom\s+['"](\.{1,2}\/[^'"]+)['"]/g)) {
      visit(posix.join(dir, match[1]).replace(/\.js$/, '.ts'));
    }
  };
  visit(entry);
  return [...seen].sort();
}
