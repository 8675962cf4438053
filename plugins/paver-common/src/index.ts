/**
 * What both sides of a Paver contract use, as community-plugins' `*-common` packages hold it:
 * the catalog module's prioritize route, the platform group, the `paver.dev/*` annotation keys,
 * the Golden paths routes' shapes.
 * Isomorphic: no Node or backend imports.
 *
 * @packageDocumentation
 */
export {
  MAX_PRIORITIZE_REFS,
  PRIORITIZE_PATH,
  PRIORITIZE_QUEUES,
  type PrioritizeQueue,
  type PrioritizeRequest,
  type PrioritizeResponse,
} from './prioritizeRoute';
export { PLATFORM_GROUP } from './platformGroup';
export {
  ONCALL_ANNOTATION,
  RUNBOOK_ANNOTATION,
  SLO_ANNOTATION,
  TEMPLATE_ANNOTATION,
  TEMPLATE_BEHIND_ANNOTATION,
  TEMPLATE_LATEST_ANNOTATION,
} from './annotations';
export {
  GOLDEN_PATHS_PATH,
  upgradeBranch,
  upgradeVersion,
  type FleetService,
  type FleetServiceState,
  type GoldenPathSummary,
  type ServiceCurrency,
} from './goldenPaths';
