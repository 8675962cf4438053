export { catalogModulePaver as default } from './module';
export {
  prioritizeEntities,
  prioritizeStitching,
  MAX_PRIORITIZE_REFS,
  type PrioritizeQueue,
} from './prioritize';
export { repairStitching, type CatalogRepairResult } from './repair/repair';
