export { main } from './cli';
export { durationSeconds, promDuration } from './duration';
export { SloError } from './errors';
export {
  parseOpenSlo,
  type OpenSloDocument,
  type OpenSloFile,
  type ResolvedSlo,
} from './openslo';
export {
  StaleRulesError,
  writeRuleFile,
  type RuleFileOptions,
} from './ruleFile';
export {
  BURN_ALERTS,
  burnFactor,
  generateRules,
  WINDOW_PLACEHOLDER,
} from './rules';
