import { promises as fs, type Dirent } from 'node:fs';
import path from 'node:path';
import type { Entity } from '@backstage/catalog-model';
import {
  CatalogFileError,
  CatalogFolderError,
  CatalogYamlError,
} from './errors';
import { WHOLE_DOCUMENT, WHOLE_FILE } from './problems';
import type { LoadedCatalog, LoadedEntity } from './types';
import {
  MAX_CATALOG_FILE_BYTES,
  parseCatalogYaml,
  type CatalogYamlLimits,
} from './yaml';

const YAML_FILE = /\.ya?ml$/i;

/**
 * Reads every .yaml/.yml file under `dir` (recursively, sorted by path), every document in each.
 * Unreadable files and documents that are not entities become problems rather than exceptions,
 * so one broken file does not hide the others. Throws {@link CatalogFolderError} if `dir` is not
 * a folder.
 */
export async function loadCatalog(
  dir: string,
  limits: CatalogYamlLimits = {},
): Promise<LoadedCatalog> {
  const root = path.resolve(dir);
  const realRoot = await realFolder(root);
  const loaded: LoadedCatalog = { root, files: [], entities: [], problems: [] };
  const display = (absolute: string) => displayPath(root, absolute);
  for (const found of await findYamlFiles(root, realRoot)) {
    if ('problem' in found) {
      loaded.problems.push({
        file: display(found.path),
        field: WHOLE_FILE,
        message: found.problem,
      });
      continue;
    }
    const file = display(found.path);
    loaded.files.push(file);
    await loadFile(found.path, file, limits, loaded);
  }
  return loaded;
}

/**
 * Reads one YAML file (a service's catalog-info.yaml) as a catalog of its own, rooted at its
 * folder: `file` values read `<folder name>/catalog-info.yaml`. Throws {@link CatalogFileError}
 * if `file` is not a file.
 */
export async function loadCatalogFile(
  file: string,
  limits: CatalogYamlLimits = {},
): Promise<LoadedCatalog> {
  const absolute = path.resolve(file);
  await requireFile(absolute);
  const root = path.dirname(absolute);
  const shown = displayPath(root, absolute);
  const loaded: LoadedCatalog = {
    root,
    files: [shown],
    entities: [],
    problems: [],
  };
  await loadFile(absolute, shown, limits, loaded);
  return loaded;
}

async function requireFile(absolute: string): Promise<void> {
  let isFile: boolean;
  try {
    isFile = (await fs.stat(absolute)).isFile();
  } catch (error) {
    throw new CatalogFileError(`catalog file ${absolute} cannot be read`, {
      cause: error,
    });
  }
  if (!isFile) {
    throw new CatalogFileError(`catalog file ${absolute} is not a file`);
  }
}

/** `<catalog folder name>/<path inside it>`, forward slashes on every platform. */
export function displayPath(root: string, absolute: string): string {
  return [
    path.basename(root),
    ...path.relative(root, absolute).split(path.sep),
  ].join('/');
}

/** The absolute path of a file shown as {@link displayPath} shows it. */
export function absolutePathOf(
  loaded: Pick<LoadedCatalog, 'root'>,
  file: string,
): string {
  return path.join(path.dirname(loaded.root), ...file.split('/'));
}

async function realFolder(root: string): Promise<string> {
  try {
    const stat = await fs.stat(root);
    if (stat.isDirectory()) {
      return await fs.realpath(root);
    }
  } catch (error) {
    throw new CatalogFolderError(`catalog folder ${root} cannot be read`, {
      cause: error,
    });
  }
  throw new CatalogFolderError(`catalog folder ${root} is not a folder`);
}

type Found = { path: string } | { path: string; problem: string };

async function findYamlFiles(
  folder: string,
  realRoot: string,
): Promise<Found[]> {
  const entries = await fs.readdir(folder, { withFileTypes: true });
  // Code-unit order, not locale order: the same report on every machine.
  entries.sort((a, b) => Number(a.name > b.name) - Number(a.name < b.name));
  const found: Found[] = [];
  for (const entry of entries) {
    const full = path.join(folder, entry.name);
    if (entry.isDirectory()) {
      found.push(...(await findYamlFiles(full, realRoot)));
    } else if (
      YAML_FILE.test(entry.name) &&
      (entry.isFile() || entry.isSymbolicLink())
    ) {
      found.push(await checkFile(full, entry, realRoot));
    }
  }
  return found;
}

// The backend would follow a symlink anywhere on disk; only links that stay inside are read.
async function checkFile(
  full: string,
  entry: Dirent,
  realRoot: string,
): Promise<Found> {
  if (!entry.isSymbolicLink()) {
    return { path: full };
  }
  let target: string;
  try {
    target = await fs.realpath(full);
  } catch {
    return { path: full, problem: 'is a symlink to nothing' };
  }
  if (!isInside(realRoot, target)) {
    return {
      path: full,
      problem: 'is a symlink that leaves the catalog folder',
    };
  }
  return (await fs.stat(target)).isFile()
    ? { path: full }
    : { path: full, problem: 'is not a file' };
}

/** True when `candidate` is `folder` itself or somewhere below it. */
export function isInside(folder: string, candidate: string): boolean {
  const relative = path.relative(folder, candidate);
  return (
    relative === '' ||
    (!relative.startsWith('..') && !path.isAbsolute(relative))
  );
}

async function loadFile(
  absolute: string,
  file: string,
  limits: CatalogYamlLimits,
  loaded: LoadedCatalog,
): Promise<void> {
  const maxBytes = limits.maxBytes ?? MAX_CATALOG_FILE_BYTES;
  // Checked before reading so a huge file never reaches memory.
  if ((await fs.stat(absolute)).size > maxBytes) {
    loaded.problems.push({
      file,
      field: WHOLE_FILE,
      message: `file is larger than ${maxBytes} bytes`,
    });
    return;
  }
  let documents: unknown[];
  try {
    documents = parseCatalogYaml(await fs.readFile(absolute, 'utf8'), limits);
  } catch (error) {
    if (!(error instanceof CatalogYamlError)) {
      throw error;
    }
    loaded.problems.push({ file, field: WHOLE_FILE, message: error.message });
    return;
  }
  documents.forEach((document, documentIndex) => {
    if (document === null) {
      return;
    }
    const entity = asEntity(document);
    if (entity) {
      loaded.entities.push({
        entity,
        file,
        documentIndex,
      } satisfies LoadedEntity);
    } else {
      loaded.problems.push({
        file,
        field: WHOLE_DOCUMENT,
        message: `document ${documentIndex} is not an entity: expected a mapping with a string kind and metadata.name`,
      });
    }
  });
}

// Only the identity fields are checked here; validateCatalog checks the rest with Backstage's rules.
function asEntity(document: unknown): Entity | undefined {
  if (
    !isRecord(document) ||
    typeof document.kind !== 'string' ||
    !isRecord(document.metadata)
  ) {
    return undefined;
  }
  return typeof document.metadata.name === 'string'
    ? (document as unknown as Entity)
    : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
