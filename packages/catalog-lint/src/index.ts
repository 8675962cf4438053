/**
 * @paver/catalog-lint: loads the organisation's catalog YAML and checks it the way the Backstage
 * catalog would, plus Paver's rules, reporting each problem by file and field. No backend imports,
 * so the CLI (`paver who-owns`) and the cdktf platform app use it directly.
 */
export { loadCatalog, loadCatalogFile, absolutePathOf } from './load';
export { validateCatalog, type ValidateCatalogOptions } from './validate';
export { onCallProblems, type OnCallOptions } from './onCall';
export {
  isProductionComponent,
  onCallViolations,
  ownerCheck,
  ownerViolations,
  rotationViolations,
  runbookViolations,
  type OwnerCheck,
} from './rules/oncall';
export {
  lookupViolations,
  scheduleCheck,
  scheduleRef,
  scheduleViolations,
  type ScheduleCheck,
  type ScheduleLookup,
  type ScheduleRefKind,
} from './rules/schedules';
export { linkUrlViolations } from './rules/urls';
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
  type EntityViolation,
} from './problems';
export {
  parseCatalogYaml,
  MAX_ALIAS_COUNT,
  MAX_CATALOG_FILE_BYTES,
  type CatalogYamlLimits,
} from './yaml';
export {
  CatalogLintError,
  CatalogFileError,
  CatalogFolderError,
  CatalogYamlError,
  InvalidEntityRefError,
} from './errors';
export type { LoadedCatalog, LoadedEntity } from './types';
