import type {
  DoubleEscalationPolicy,
  DoubleSchedule,
  DoubleUser,
  PagerDutyAccount,
} from './model';

// PagerDuty REST API v2 answers (developer.pagerduty.com/api-reference), as the double sends them:
// a reference is `{ id, type: '<kind>_reference', summary, self, html_url }`; `include[]=users`
// replaces user references by whole users.

/** `{ id, type, summary, self, html_url }`, PagerDuty's reference to another object. */
export interface Reference {
  id: string;
  type: string;
  summary: string;
  self: string;
  html_url: string;
}

/** A user as `include[]=users` and `GET /users/{id}` give it (the fields on-call needs). */
export interface UserShape extends Reference {
  type: 'user';
  name: string;
  email: string;
  time_zone: string;
  role: string;
  avatar_url: string;
}

/** One entry of `GET /oncalls`. */
export interface OnCallShape {
  escalation_policy: Reference;
  escalation_level: number;
  schedule: Reference | null;
  user: Reference | UserShape;
  /** Null when the user is a direct target of the rule (always on call at that level). */
  start: string | null;
  end: string | null;
}

/** `GET /oncalls`, offset-paginated. */
export interface OnCallsResponse {
  oncalls: OnCallShape[];
  limit: number;
  offset: number;
  more: boolean;
  total: number | null;
}

/** `GET /escalation_policies/{id}`. */
export interface EscalationPolicyResponse {
  escalation_policy: Reference & {
    type: 'escalation_policy';
    name: string;
    num_loops: number;
    on_call_handoff_notifications: 'if_has_services' | 'always';
    escalation_rules: {
      id: string;
      escalation_delay_in_minutes: number;
      targets: Reference[];
    }[];
    services: Reference[];
    teams: Reference[];
    description: string;
  };
}

/** PagerDuty's error body: `{ error: { message, code, errors? } }`. */
export interface ErrorShape {
  error: { message: string; code: number; errors?: string[] };
}

const PLURAL: Record<string, string> = {
  user: 'users',
  schedule: 'schedules',
  escalation_policy: 'escalation_policies',
};

/** Builds references and whole objects for one account served at `apiUrl`. */
export class Shapes {
  constructor(
    private readonly account: PagerDutyAccount,
    private readonly apiUrl: string,
  ) {}

  reference(kind: string, id: string, summary: string): Reference {
    const plural = PLURAL[kind] ?? `${kind}s`;
    return {
      id,
      type: `${kind}_reference`,
      summary,
      self: `${this.apiUrl}/${plural}/${id}`,
      html_url: `https://${this.account.subdomain}.pagerduty.com/${plural}/${id}`,
    };
  }

  user(user: DoubleUser, whole: boolean): Reference | UserShape {
    const ref = this.reference('user', user.id, user.name);
    if (!whole) return ref;
    return {
      ...ref,
      type: 'user',
      name: user.name,
      email: user.email,
      time_zone: user.timeZone ?? 'Etc/UTC',
      role: 'user',
      avatar_url: `https://secure.gravatar.com/avatar/${user.id}.png?d=mm&r=PG`,
    };
  }

  schedule(schedule: DoubleSchedule): Reference {
    return this.reference('schedule', schedule.id, schedule.name);
  }

  escalationPolicy(policy: DoubleEscalationPolicy): EscalationPolicyResponse {
    return {
      escalation_policy: {
        ...this.reference('escalation_policy', policy.id, policy.name),
        type: 'escalation_policy',
        name: policy.name,
        num_loops: 0,
        on_call_handoff_notifications: 'if_has_services',
        escalation_rules: policy.rules.map((rule, index) => ({
          id: `${policy.id}R${index + 1}`,
          escalation_delay_in_minutes: rule.delayMinutes,
          targets: rule.targets.map(target =>
            this.reference(target.type, target.id, this.nameOf(target)),
          ),
        })),
        services: [],
        teams: [],
        description: '',
      },
    };
  }

  private nameOf(target: { type: 'schedule' | 'user'; id: string }): string {
    const list: { id: string; name: string }[] =
      target.type === 'user' ? this.account.users : this.account.schedules;
    return list.find(item => item.id === target.id)?.name ?? target.id;
  }
}
