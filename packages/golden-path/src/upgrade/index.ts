export { readServiceRecord, upgradeService } from './upgradeService';
export type { UpgradeServiceOptions, UpgradeResult } from './upgradeService';
export { mergeTrees } from './mergeTrees';
export type {
  ConflictReason,
  FileOutcome,
  FileWrite,
  MergePlan,
  MergeTreesInput,
  ReadRepoFile,
  RepoFile,
} from './mergeTrees';
export type { MergeLabels } from './mergeText';
export { loadMigrations } from './migrations';
export type {
  ImportModule,
  LoadedMigration,
  MigrationContext,
  TemplateMigration,
} from './migrations';
export { serviceDrift } from './drift';
export type { ServiceDrift } from './drift';
