import { promises as fs } from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { CatalogReadError } from '../errors';
import type { CatalogEntity } from './entities';

/** Larger catalog files are refused unread: the catalog is hand-written YAML, not data. */
export const MAX_CATALOG_FILE_BYTES = 1024 * 1024;
/** Alias expansions allowed per document: enough for real YAML, far too few for a billion laughs. */
const MAX_ALIAS_COUNT = 100;
const YAML_FILE = /\.ya?ml$/i;

/**
 * Reads every entity in every .yaml/.yml file under `dir`, recursively, in path order. Symbolic
 * links are not followed, so the catalog cannot pull in files from elsewhere on the machine.
 */
export async function readCatalogFolder(dir: string): Promise<CatalogEntity[]> {
  const files = await yamlFilesUnder(path.resolve(dir));
  const entities: CatalogEntity[] = [];
  for (const file of files) entities.push(...(await readCatalogFile(file)));
  return entities;
}

async function yamlFilesUnder(dir: string): Promise<string[]> {
  let entries;
  try {
    entries = await fs.readdir(dir, { withFileTypes: true });
  } catch (error) {
    throw new CatalogReadError(`catalog folder ${dir} cannot be read`, {
      cause: error,
    });
  }
  const files: string[] = [];
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) files.push(...(await yamlFilesUnder(full)));
    else if (entry.isFile() && YAML_FILE.test(entry.name)) files.push(full);
  }
  return files;
}

async function readCatalogFile(file: string): Promise<CatalogEntity[]> {
  const { size } = await fs.stat(file);
  if (size > MAX_CATALOG_FILE_BYTES) {
    throw new CatalogReadError(
      `${file}: ${size} bytes is over the ${MAX_CATALOG_FILE_BYTES}-byte limit for a catalog file`,
    );
  }
  const text = await fs.readFile(file, 'utf8');
  // The core schema has no custom tags and no `<<` merge keys; `__proto__` becomes a plain key.
  const documents = parseAllDocuments(text, {
    schema: 'core',
    uniqueKeys: true,
    prettyErrors: false,
  });
  if (!Array.isArray(documents))
    throw new CatalogReadError(`${file}: not a YAML document stream`);
  return documents.flatMap((doc, index) => {
    if (doc.errors.length > 0) {
      throw new CatalogReadError(
        `${file} (document ${index + 1}): ${doc.errors[0].message}`,
      );
    }
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    } catch (error) {
      throw new CatalogReadError(
        `${file} (document ${index + 1}): ${(error as Error).message}`,
        { cause: error },
      );
    }
    return isEntityShaped(value) ? [value] : [];
  });
}

/** Anything with a kind and a metadata.name; other documents (empty, comments only) are skipped. */
export function isEntityShaped(value: unknown): value is CatalogEntity {
  if (!value || typeof value !== 'object') return false;
  const candidate = value as Partial<CatalogEntity>;
  return (
    typeof candidate.kind === 'string' &&
    typeof candidate.metadata?.name === 'string'
  );
}
