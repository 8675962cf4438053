/**
 * @paver/catalog-lint: loads the organisation's catalog YAML and checks it the way the Backstage
 * catalog would, plus Paver's rules, reporting each problem by file and field. No backend imports,
 * so the CLI (`paver who-owns`) and the cdktf platform app use it directly.
 */
export { loadCatalog, absolutePathOf } from './load';
export { validateCatalog, type ValidateCatalogOptions } from './validate';
export {
  entityRefOf,
  findEntity,
  normalizeEntityRef,
  type RefContext,
} from './refs';
export {
  formatProblem,
  fieldPath,
  WHOLE_DOCUMENT,
  WHOLE_FILE,
  type CatalogProblem,
} from './problems';
export {
  parseCatalogYaml,
  MAX_ALIAS_COUNT,
  MAX_CATALOG_FILE_BYTES,
  type CatalogYamlLimits,
} from './yaml';
export {
  CatalogLintError,
  CatalogFolderError,
  CatalogYamlError,
  InvalidEntityRefError,
} from './errors';
export type { LoadedCatalog, LoadedEntity } from './types';
