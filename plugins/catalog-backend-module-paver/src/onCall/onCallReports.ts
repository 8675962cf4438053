import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  parseEntityRef,
  stringifyEntityRef,
  type Entity,
  type UserEntity,
} from '@backstage/catalog-model';
import { NotFoundError } from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import {
  onCallAt,
  ONCALL_ANNOTATION,
  PAGERDUTY_ESCALATION_POLICY_ANNOTATION,
  PAGERDUTY_SCHEDULE_ANNOTATION,
  parseSchedule,
  SCHEDULE_FIELD,
  type OnCallPeriod,
  type OnCallPerson,
  type OnCallReport,
  type OnCallShift,
  type ResolvedEscalationTarget,
} from '@paver/plugin-paver-common';
import type { PagerDutyAnswer, PagerDutyOnCall } from './pagerDutyOnCall';

/** Who is on call, from whichever source answers for the schedule. */
type Answer = Pick<OnCallReport, 'now' | 'next' | 'escalation'> & {
  schedule: Pick<OnCallReport['schedule'], 'source' | 'timeZone' | 'url'>;
};

/** What {@link OnCallReports} reads. */
export interface OnCallReportsOptions {
  catalog: Pick<
    CatalogService,
    'getEntityByRef' | 'getEntitiesByRefs' | 'getEntities'
  >;
  /** Set when `paver.onCall.pagerduty` is configured: schedules that name a PagerDuty schedule ask it. */
  pagerDuty?: PagerDutyOnCall;
}

/**
 * Who is on call for an entity at a moment: the schedule its `paver.dev/oncall` names (or its
 * owner Group's), answered by PagerDuty when the schedule Resource names a PagerDuty schedule and
 * PagerDuty is configured, else computed from the schedule's `spec.schedule` in the catalog.
 * People are catalog Users where the catalog knows them (by ref, or by e-mail for PagerDuty).
 */
export class OnCallReports {
  constructor(private readonly options: OnCallReportsOptions) {}

  async report(
    entityRef: string,
    at: Date,
    credentials: BackstageCredentials,
  ): Promise<OnCallReport> {
    const { catalog } = this.options;
    const entity = await catalog.getEntityByRef(entityRef, { credentials });
    if (!entity)
      throw new NotFoundError(`no entity ${entityRef} in the catalog`);
    const ref = stringifyEntityRef(entity);
    const { name, definedOn } = await this.scheduleName(entity, credentials);
    const scheduleRef = stringifyEntityRef({
      kind: 'Resource',
      namespace: entity.metadata.namespace,
      name,
    });
    const schedule = await catalog.getEntityByRef(scheduleRef, { credentials });
    if (!schedule) {
      throw new NotFoundError(
        `${definedOn} names the on-call schedule "${name}", and there is no ${scheduleRef} in the catalog`,
      );
    }
    const answer = await this.answer(schedule, scheduleRef, at, credentials);
    return {
      entityRef: ref,
      at: at.toISOString(),
      schedule: {
        name,
        ...(schedule.metadata.title ? { title: schedule.metadata.title } : {}),
        definedOn,
        ...answer.schedule,
      },
      now: answer.now,
      next: answer.next,
      escalation: answer.escalation,
    };
  }

  /** PagerDuty's answer when the schedule names a PagerDuty schedule and it is configured. */
  private async answer(
    schedule: Entity,
    scheduleRef: string,
    at: Date,
    credentials: BackstageCredentials,
  ): Promise<Answer> {
    const annotations = schedule.metadata.annotations ?? {};
    const scheduleId = annotations[PAGERDUTY_SCHEDULE_ANNOTATION];
    if (!scheduleId || !this.options.pagerDuty) {
      return this.fromCatalog(schedule, scheduleRef, at, credentials);
    }
    const answer = await this.options.pagerDuty.at(
      {
        scheduleId,
        escalationPolicyId: annotations[PAGERDUTY_ESCALATION_POLICY_ANNOTATION],
      },
      at,
    );
    return {
      schedule: { source: 'pagerduty', url: answer.scheduleUrl },
      ...(await this.withCatalogUsers(answer, credentials)),
    };
  }

  /** On-call computed from the schedule's `spec.schedule`, people read from the catalog. */
  private async fromCatalog(
    schedule: Entity,
    scheduleRef: string,
    at: Date,
    credentials: BackstageCredentials,
  ): Promise<Answer> {
    const block = parseSchedule(
      (schedule.spec as Record<string, unknown> | undefined)?.schedule,
      `${scheduleRef}: ${SCHEDULE_FIELD}`,
    );
    const answer = onCallAt(block, at);
    const people = await this.people(
      [
        answer.now?.user,
        answer.next.user,
        ...answer.escalation.flatMap(step => step.targets.flatMap(usersOf)),
      ].filter((r): r is string => Boolean(r)),
      credentials,
    );
    const shift = (period: OnCallPeriod): OnCallShift => ({
      person: people(period.user),
      from: period.from.toISOString(),
      until: period.until.toISOString(),
      ...(period.override ? { override: true } : {}),
    });
    return {
      schedule: { source: 'catalog', timeZone: block.timeZone },
      now: answer.now ? shift(answer.now) : null,
      next: shift(answer.next),
      escalation: answer.escalation.map(step => ({
        level: step.level,
        afterMinutes: step.afterMinutes,
        people: step.targets.flatMap(usersOf).map(people),
        schedules: step.targets.flatMap(t =>
          t.type === 'schedule'
            ? [parseEntityRef(t.ref, { defaultKind: 'resource' }).name]
            : [],
        ),
      })),
    };
  }

  /** The service's own `paver.dev/oncall`, else its owner Group's. */
  private async scheduleName(
    entity: Entity,
    credentials: BackstageCredentials,
  ) {
    const own = entity.metadata.annotations?.[ONCALL_ANNOTATION];
    const ref = stringifyEntityRef(entity);
    if (own) return { name: own, definedOn: ref };
    const owner = (entity.spec as { owner?: unknown } | undefined)?.owner;
    if (typeof owner === 'string') {
      const ownerRef = stringifyEntityRef(
        parseEntityRef(owner, {
          defaultKind: 'group',
          defaultNamespace: entity.metadata.namespace,
        }),
      );
      const group = await this.options.catalog.getEntityByRef(ownerRef, {
        credentials,
      });
      const fromOwner = group?.metadata.annotations?.[ONCALL_ANNOTATION];
      if (fromOwner) return { name: fromOwner, definedOn: ownerRef };
    }
    throw new NotFoundError(
      `${ref} has no on-call schedule: set ${ONCALL_ANNOTATION} on it or on its owner Group`,
    );
  }

  /** A lookup from User ref to person, reading the Users once. */
  private async people(refs: string[], credentials: BackstageCredentials) {
    const unique = [...new Set(refs)];
    const { items } = await this.options.catalog.getEntitiesByRefs(
      { entityRefs: unique, fields: ['kind', 'metadata', 'spec.profile'] },
      { credentials },
    );
    const byRef = new Map<string, OnCallPerson>();
    unique.forEach((ref, index) => {
      const user = items[index] as UserEntity | undefined;
      byRef.set(
        ref,
        user ? personOf(user) : { name: parseEntityRef(ref).name },
      );
    });
    return (ref: string) =>
      byRef.get(ref) ?? { name: parseEntityRef(ref).name };
  }

  /** PagerDuty's people, matched to catalog Users by e-mail. */
  private async withCatalogUsers(
    answer: PagerDutyAnswer,
    credentials: BackstageCredentials,
  ): Promise<Omit<Answer, 'schedule'>> {
    const everyone = [
      answer.now?.person,
      answer.next?.person,
      ...answer.escalation.flatMap(l => l.people),
    ].filter((p): p is OnCallPerson => Boolean(p));
    const emails = [
      ...new Set(everyone.flatMap(p => (p.email ? [p.email] : []))),
    ];
    const { items } = emails.length
      ? await this.options.catalog.getEntities(
          { filter: { kind: 'User', 'spec.profile.email': emails } },
          { credentials },
        )
      : { items: [] };
    const byEmail = new Map(
      (items as UserEntity[]).map(u => [
        u.spec.profile?.email?.toLowerCase(),
        u,
      ]),
    );
    const known = (person: OnCallPerson): OnCallPerson => {
      const user = person.email
        ? byEmail.get(person.email.toLowerCase())
        : undefined;
      return user ? { ...personOf(user), url: person.url } : person;
    };
    const shift = (s: OnCallShift | null) =>
      s ? { ...s, person: known(s.person) } : null;
    return {
      now: shift(answer.now),
      next: shift(answer.next),
      escalation: answer.escalation.map(l => ({
        ...l,
        people: l.people.map(known),
      })),
    };
  }
}

/** The User refs an escalation target pages now: a person, or this schedule's on-call. */
function usersOf(target: ResolvedEscalationTarget): string[] {
  if (target.type === 'user') return [target.ref];
  if (target.type === 'on-call' && target.user) return [target.user];
  return [];
}

function personOf(user: UserEntity): OnCallPerson {
  return {
    name:
      user.spec.profile?.displayName ??
      user.metadata.title ??
      user.metadata.name,
    ...(user.spec.profile?.email ? { email: user.spec.profile.email } : {}),
    entityRef: stringifyEntityRef(user),
  };
}
