// The contract of the catalog module's on-call route, read by the portal's On call card.

/** `GET /api/catalog` + this + `?entity=<ref>[&at=<ISO instant>]`: who is on call for an entity. */
export const ONCALL_PATH = '/paver/oncall';

/** A person as the on-call report names them; `entityRef` when the catalog knows them. */
export interface OnCallPerson {
  name: string;
  email?: string;
  entityRef?: string;
  /** Their page in the pager (PagerDuty), when the schedule lives there. */
  url?: string;
}

/** A stretch of time one person is on call; null bounds are open (always on call at that level). */
export interface OnCallShift {
  person: OnCallPerson;
  from: string | null;
  until: string | null;
  /** An override, not the rotation, put this person on call. */
  override?: boolean;
}

/** One level of the escalation policy, as it stands at the moment asked about. */
export interface OnCallEscalationLevel {
  level: number;
  /** Minutes unacknowledged before this level is paged (0 for the first). */
  afterMinutes: number;
  people: OnCallPerson[];
  /** Schedules this level pages, by name, for whoever they have on call. */
  schedules: string[];
}

/** What the on-call route answers. */
export interface OnCallReport {
  /** The entity asked about. */
  entityRef: string;
  schedule: {
    name: string;
    title?: string;
    /** The entity whose `paver.dev/oncall` named the schedule (the service or its owner Group). */
    definedOn: string;
    /** Computed from the schedule in the catalog, or read from PagerDuty. */
    source: 'catalog' | 'pagerduty';
    timeZone?: string;
    /** The schedule in the pager, for "open in PagerDuty". */
    url?: string;
  };
  at: string;
  now: OnCallShift | null;
  next: OnCallShift | null;
  escalation: OnCallEscalationLevel[];
}
