/**
 * What both sides of a Paver contract use, as community-plugins' `*-common` packages hold it:
 * the catalog module's prioritize route, the platform group, the `paver.dev/*` annotation keys,
 * the Golden paths routes' shapes, on-call schedules and who is on call at a moment.
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
  ONCALL_PATH,
  type OnCallEscalationLevel,
  type OnCallPerson,
  type OnCallReport,
  type OnCallShift,
} from './onCallRoute';
export {
  SLO_PATH,
  type SloAlert,
  type SloObjectiveReport,
  type SloReport,
  type SloSummary,
} from './sloRoute';
export {
  ONCALL_ANNOTATION,
  PAGERDUTY_ESCALATION_POLICY_ANNOTATION,
  PAGERDUTY_SCHEDULE_ANNOTATION,
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
export {
  formatInZone,
  InvalidScheduleError,
  isOnCallScheduleEntity,
  isoInZone,
  onCallAt,
  ON_CALL_SCHEDULE_TYPE,
  parseIsoInstant,
  parseSchedule,
  SCHEDULE_FIELD,
  validateSchedule,
  type EntityLike,
  type EscalationLevel,
  type EscalationStep,
  type EscalationTarget,
  type OnCallAnswer,
  type OnCallPeriod,
  type OnCallSchedule,
  type ResolvedEscalationTarget,
  type ScheduleOverride,
  type ScheduleProblem,
  type ScheduleValidation,
} from './onCall';
