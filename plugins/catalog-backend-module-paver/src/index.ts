export { catalogModulePaver as default } from './module';
export { prioritizeEntities, MAX_PRIORITIZE_REFS } from './prioritize';
