import fs from 'node:fs';
import path from 'node:path';
import semver from 'semver';
import { TemplateInvalidError, TemplateNotFoundError } from './errors';
import { readLayer, SourceFile } from './files';
import { byCodeUnit } from './order';
import { CompiledTemplate } from './handlebars';
import { JsonSchema, mergeParameterPages } from './schema';
import { parseYamlSafe } from './yaml';

/** Annotation holding the template's semver version. */
export const VERSION_ANNOTATION = 'paver.dev/template-version';
/** Annotation listing fragments to layer under the skeleton, comma separated. */
export const FRAGMENTS_ANNOTATION = 'paver.dev/fragments';

// Template and fragment names end up in paths; keep them to plain folder names.
const NAME_PATTERN = /^[a-z0-9][a-z0-9._-]*$/;

/** A layer of files: a fragment, then the skeleton on top. */
export interface TemplateLayer {
  /** `fragment:<name>` or `skeleton`, for messages. */
  label: string;
  files: SourceFile[];
}

/** A template loaded into memory, with its compiled files cached on it. */
export interface LoadedTemplate {
  name: string;
  version: string;
  title: string;
  description: string;
  /** Absolute template folder. */
  dir: string;
  fragments: string[];
  /** The merged `spec.parameters` pages, `ui:*` keys included (they mark secrets). */
  parameters: JsonSchema;
  layers: TemplateLayer[];
  /** The Template entity as parsed, for callers that need more (e.g. `spec.steps`). */
  entity: Record<string, unknown>;
  /** Compiled bodies and names, keyed by source; filled on first render, reused after. */
  readonly cache: Map<string, CompiledTemplate>;
}

/** Loads `dir/template.yaml`, its fragments (from `../_fragments`) and its skeleton. */
export function loadTemplate(dir: string): LoadedTemplate {
  const templateDir = path.resolve(dir);
  const entity = readEntity(templateDir);
  const metadata = asRecord(entity.metadata, 'metadata');
  const annotations = asRecord(
    metadata.annotations ?? {},
    'metadata.annotations',
  );
  const name = readName(metadata.name, 'metadata.name');
  const version = readVersion(annotations[VERSION_ANNOTATION]);
  const fragments = readFragmentList(annotations[FRAGMENTS_ANNOTATION]);
  const spec = asRecord(entity.spec ?? {}, 'spec');
  return {
    name,
    version,
    title: typeof metadata.title === 'string' ? metadata.title : name,
    description:
      typeof metadata.description === 'string' ? metadata.description : '',
    dir: templateDir,
    fragments,
    parameters: mergeParameterPages(spec.parameters, name),
    layers: [
      ...fragments.map(f => fragmentLayer(templateDir, f)),
      skeletonLayer(templateDir),
    ],
    entity,
    cache: new Map(),
  };
}

/** Loads every template below `templatesRoot` (folders with a template.yaml, not `_*`), by name. */
export function listTemplates(templatesRoot: string): LoadedTemplate[] {
  return findTemplateDirs(templatesRoot)
    .map(loadTemplate)
    .sort((a, b) => byCodeUnit(a.name, b.name));
}

/**
 * The template folders below `templatesRoot`, sorted, without loading them: lets a caller
 * report a broken template and carry on with the others.
 */
export function findTemplateDirs(templatesRoot: string): string[] {
  const root = path.resolve(templatesRoot);
  if (!fs.existsSync(root)) {
    throw new TemplateNotFoundError(`templates folder ${root} does not exist`);
  }
  return fs
    .readdirSync(root, { withFileTypes: true })
    .filter(
      e =>
        e.isDirectory() && !e.name.startsWith('_') && !e.name.startsWith('.'),
    )
    .filter(e => fs.existsSync(path.join(root, e.name, 'template.yaml')))
    .map(e => path.join(root, e.name))
    .sort();
}

function readEntity(templateDir: string): Record<string, unknown> {
  const file = path.join(templateDir, 'template.yaml');
  if (!fs.existsSync(file)) {
    throw new TemplateNotFoundError(
      `no template at ${templateDir} (template.yaml is missing)`,
    );
  }
  const entity = parseYamlSafe(fs.readFileSync(file, 'utf8'), {
    label: file,
    errorType: TemplateInvalidError,
    // Template authors may reuse blocks with anchors; still bounded.
    maxAliasCount: 200,
  });
  const record = asRecord(entity, 'template.yaml');
  if (record.kind !== 'Template') {
    throw new TemplateInvalidError(
      `${file}: kind must be Template, got ${String(record.kind)}`,
    );
  }
  return record;
}

function readName(value: unknown, field: string): string {
  if (typeof value !== 'string' || !NAME_PATTERN.test(value)) {
    throw new TemplateInvalidError(
      `${field} must match ${NAME_PATTERN.source}`,
    );
  }
  return value;
}

function readVersion(value: unknown): string {
  if (typeof value !== 'string' || !semver.valid(value)) {
    throw new TemplateInvalidError(
      `metadata.annotations["${VERSION_ANNOTATION}"] must be a semver version, got ${JSON.stringify(
        value,
      )}`,
    );
  }
  return value;
}

function readFragmentList(value: unknown): string[] {
  if (value === undefined || value === '') return [];
  if (typeof value !== 'string') {
    throw new TemplateInvalidError(
      `metadata.annotations["${FRAGMENTS_ANNOTATION}"] must be a string`,
    );
  }
  return value
    .split(',')
    .map(f => f.trim())
    .filter(Boolean)
    .map(f => readName(f, `fragment "${f}"`));
}

function fragmentLayer(templateDir: string, fragment: string): TemplateLayer {
  const dir = path.join(path.dirname(templateDir), '_fragments', fragment);
  if (!fs.existsSync(dir)) {
    throw new TemplateNotFoundError(
      `fragment "${fragment}" not found at ${dir}`,
    );
  }
  // A fragment's links may point anywhere inside that fragment, nowhere else.
  return { label: `fragment:${fragment}`, files: readLayer(dir, dir) };
}

function skeletonLayer(templateDir: string): TemplateLayer {
  const dir = path.join(templateDir, 'skeleton');
  // A template without a skeleton is legal: it may be all fragments.
  const files = fs.existsSync(dir) ? readLayer(dir, templateDir) : [];
  return { label: 'skeleton', files };
}

function asRecord(value: unknown, field: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new TemplateInvalidError(`${field} must be a mapping`);
  }
  return value as Record<string, unknown>;
}
