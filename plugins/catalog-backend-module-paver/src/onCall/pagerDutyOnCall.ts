import { CustomErrorBase } from '@backstage/errors';
import { api } from '@pagerduty/pdjs';
import type {
  OnCallEscalationLevel,
  OnCallPerson,
  OnCallShift,
} from '@paver/plugin-paver-common';

/** PagerDuty answered with an error, or not at all. */
export class PagerDutyError extends CustomErrorBase {
  name = 'PagerDutyError' as const;
}

/** Where a schedule lives in PagerDuty (the annotations of a schedule Resource). */
export interface PagerDutySchedule {
  scheduleId: string;
  /** The policy whose levels make the escalation; none → no escalation shown. */
  escalationPolicyId?: string;
}

/** Who PagerDuty has on call for a schedule at a moment. */
export interface PagerDutyAnswer {
  now: OnCallShift | null;
  next: OnCallShift | null;
  escalation: OnCallEscalationLevel[];
  scheduleUrl?: string;
}

/** How to reach PagerDuty. */
export interface PagerDutyOnCallOptions {
  token: string;
  /** @default 'https://api.pagerduty.com' */
  baseUrl?: string;
  /** How long pdjs waits before retrying a 429 (it retries three times). @default 2000 */
  retryAfterMs?: number;
}

interface OnCallEntry {
  escalation_level: number;
  schedule: { id: string; summary: string; html_url: string } | null;
  user: {
    id: string;
    summary: string;
    name?: string;
    email?: string;
    html_url: string;
  };
  start: string | null;
  end: string | null;
}

/** How far ahead to look for the next shift: two weeks covers weekly rotations with a gap. */
const LOOKAHEAD_MS = 14 * 24 * 3600 * 1000;

/**
 * On-call from PagerDuty's REST API through `@pagerduty/pdjs`: `GET /oncalls` for the schedule's
 * shifts from the moment asked about (now and next), and for the escalation policy's levels at
 * that moment, `GET /escalation_policies/{id}` for the delays between levels. People come back
 * with name and e-mail (`include[]=users`), which the route matches to catalog Users.
 */
export class PagerDutyOnCall {
  // pdjs exports `api` only; its partial call's type is what `api` returns without a URL.
  private readonly pd: ReturnType<typeof partialApi>;
  private readonly baseUrl: string;

  constructor(options: PagerDutyOnCallOptions) {
    this.baseUrl = (options.baseUrl ?? 'https://api.pagerduty.com').replace(
      /\/+$/,
      '',
    );
    this.pd = partialApi(options);
  }

  async at(schedule: PagerDutySchedule, at: Date): Promise<PagerDutyAnswer> {
    const shifts = await this.oncalls({
      'schedule_ids[]': [schedule.scheduleId],
      since: at.toISOString(),
      until: new Date(at.getTime() + LOOKAHEAD_MS).toISOString(),
    });
    const periods = uniqueShifts(shifts);
    const now =
      periods.find(
        p =>
          Date.parse(p.from!) <= at.getTime() &&
          at.getTime() < Date.parse(p.until!),
      ) ?? null;
    const after = now ? Date.parse(now.until!) : at.getTime();
    const next = periods.find(p => Date.parse(p.from!) >= after) ?? null;
    return {
      now,
      next,
      escalation: schedule.escalationPolicyId
        ? await this.escalation(schedule.escalationPolicyId, at)
        : [],
      scheduleUrl: shifts.find(s => s.schedule)?.schedule?.html_url,
    };
  }

  private async escalation(
    policyId: string,
    at: Date,
  ): Promise<OnCallEscalationLevel[]> {
    const policy = await this.get(
      `/escalation_policies/${encodeURIComponent(policyId)}`,
      {},
    );
    const rules = (policy.escalation_policy?.escalation_rules ?? []) as {
      escalation_delay_in_minutes: number;
    }[];
    const entries = await this.oncalls({
      'escalation_policy_ids[]': [policyId],
      since: at.toISOString(),
      until: at.toISOString(),
    });
    let afterMinutes = 0;
    return rules.map((rule, index) => {
      const level = index + 1;
      const atLevel = entries.filter(e => e.escalation_level === level);
      const step: OnCallEscalationLevel = {
        level,
        afterMinutes,
        people: uniqueBy(
          atLevel.map(e => person(e.user)),
          p => p.email ?? p.name,
        ),
        schedules: uniqueBy(
          atLevel.flatMap(e => (e.schedule ? [e.schedule.summary] : [])),
          s => s,
        ),
      };
      afterMinutes += rule.escalation_delay_in_minutes;
      return step;
    });
  }

  /** Every page of `GET /oncalls` for `query`, users included. */
  private async oncalls(
    query: Record<string, string | string[]>,
  ): Promise<OnCallEntry[]> {
    const entries: OnCallEntry[] = [];
    for (let offset = 0; ; ) {
      const page = await this.get('/oncalls', {
        ...query,
        'include[]': ['users'],
        time_zone: 'UTC',
        limit: '100',
        offset: String(offset),
      });
      entries.push(...(page.oncalls as OnCallEntry[]));
      if (!page.more) return entries;
      offset += page.limit;
    }
  }

  private async get(
    endpoint: string,
    queryParameters: Record<string, string | string[]>,
  ) {
    const url = `${this.baseUrl}${endpoint}`;
    const response = await this.pd({
      url,
      method: 'GET',
      queryParameters,
    }).catch((error: unknown) => {
      // pdjs rejects with the response itself when the body is not JSON.
      const status = (error as { status?: number }).status;
      throw new PagerDutyError(
        `PagerDuty GET ${endpoint} failed${status ? ` with ${status}` : ''}: ${
          error instanceof Error ? error.message : 'no JSON body'
        }`,
      );
    });
    if (!response.ok) {
      const message = (response.data as { error?: { message?: string } })?.error
        ?.message;
      throw new PagerDutyError(
        `PagerDuty GET ${endpoint} answered ${response.status}${
          message ? ` (${message})` : ''
        }`,
      );
    }
    return response.data;
  }
}

function partialApi(options: PagerDutyOnCallOptions) {
  return api({
    token: options.token,
    retryTimeout: options.retryAfterMs ?? 2000,
  });
}

function person(user: OnCallEntry['user']): OnCallPerson {
  return {
    name: user.name ?? user.summary,
    ...(user.email ? { email: user.email } : {}),
    url: user.html_url,
  };
}

/** Shifts of one schedule, once each (a schedule used by two policies or levels repeats them), by start. */
function uniqueShifts(entries: OnCallEntry[]): OnCallShift[] {
  const shifts = entries
    .filter(e => e.start && e.end)
    .map(e => ({ person: person(e.user), from: e.start, until: e.end }));
  return uniqueBy(
    shifts,
    s => `${s.person.email ?? s.person.name}|${s.from}|${s.until}`,
  ).sort((a, b) => Date.parse(a.from!) - Date.parse(b.from!));
}

function uniqueBy<T>(items: T[], key: (item: T) => string): T[] {
  const seen = new Set<string>();
  return items.filter(item => {
    const k = key(item);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
