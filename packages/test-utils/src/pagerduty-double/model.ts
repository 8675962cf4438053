// What the PagerDuty double knows: users, schedules (as the shifts PagerDuty has computed for
// them, final layer included) and escalation policies, each with PagerDuty's own ids.

/** A PagerDuty user. */
export interface DoubleUser {
  id: string;
  name: string;
  email: string;
  timeZone?: string;
}

/** One stretch of a schedule's final layer: `user` on call from `start` to `end`. */
export interface DoubleShift {
  user: string;
  start: Date;
  end: Date;
}

/** A schedule and the shifts of its final layer (overrides already applied, as PagerDuty shows it). */
export interface DoubleSchedule {
  id: string;
  name: string;
  timeZone?: string;
  shifts: DoubleShift[];
}

/** A rule of an escalation policy: who is paged, and how long before the next rule is. */
export interface DoubleEscalationRule {
  delayMinutes: number;
  targets: { type: 'schedule' | 'user'; id: string }[];
}

/** An escalation policy. */
export interface DoubleEscalationPolicy {
  id: string;
  name: string;
  rules: DoubleEscalationRule[];
}

/** Everything the double serves. */
export interface PagerDutyAccount {
  /** The account's subdomain, for html_url (`acme` → https://acme.pagerduty.com/...). */
  subdomain: string;
  users: DoubleUser[];
  schedules: DoubleSchedule[];
  escalationPolicies: DoubleEscalationPolicy[];
}
