export { catalogModulePaver as default } from './module';
export { prioritizeEntities, prioritizeStitching } from './prioritizeRows';
export { repairStitching, type CatalogRepairResult } from './repair/repair';
