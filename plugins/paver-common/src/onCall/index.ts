// Schedules as code: the `spec.schedule` block of an on-call-schedule Resource, validated once
// here and answered by onCallAt, for the portal, the catalog processor, the linter and the CLI.
export {
  ON_CALL_SCHEDULE_TYPE,
  SCHEDULE_FIELD,
  isOnCallScheduleEntity,
  type EntityLike,
  type EscalationLevel,
  type EscalationTarget,
  type OnCallSchedule,
  type ScheduleOverride,
} from './schedule';
export { InvalidScheduleError, type ScheduleProblem } from './errors';
export {
  parseSchedule,
  validateSchedule,
  type ScheduleValidation,
} from './parse';
export {
  onCallAt,
  type EscalationStep,
  type OnCallAnswer,
  type OnCallPeriod,
  type ResolvedEscalationTarget,
} from './onCallAt';
export { parseIsoInstant } from './wallClock';
export { formatInZone, isoInZone } from './format';
