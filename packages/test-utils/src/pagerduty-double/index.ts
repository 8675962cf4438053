export { startPagerDutyDouble } from './server';
export type {
  PagerDutyDouble,
  PagerDutyFault,
  RecordedRequest as PagerDutyRequest,
} from './server';
export type {
  DoubleEscalationPolicy,
  DoubleSchedule,
  DoubleShift,
  DoubleUser,
  PagerDutyAccount,
} from './model';
export type {
  EscalationPolicyResponse,
  OnCallShape,
  OnCallsResponse,
  UserShape,
} from './shapes';
