import {
  CatalogLintError,
  entityRefOf,
  normalizeEntityRef,
} from '@paver/catalog-lint';
import {
  formatInZone,
  ONCALL_ANNOTATION,
  parseIsoInstant,
  RUNBOOK_ANNOTATION,
  SLO_ANNOTATION,
} from '@paver/plugin-paver-common';
import { EntityNotFoundError, UsageError } from '../errors';
import { CliIo } from '../io';
import { nonEmpty, optional } from '../catalog/fields';
import {
  onCallReport,
  type EscalationLevelReport,
  type EscalationTargetReport,
  type OnCallReport,
  type OnCallShiftReport,
} from '../catalog/onCall';
import { describeParty, party, type PartyReport } from '../catalog/party';
import { describeSlo, type WhoOwnsSlo } from '../catalog/slos';
import {
  refsIn,
  SERVICE_KINDS,
  type CatalogSource,
  type Dependent,
  type Entity,
} from '../catalog/source';

export type { PartyReport } from '../catalog/party';
export type { OnCallReport } from '../catalog/onCall';

/** What `paver who-owns --json` prints. */
export interface WhoOwnsReport {
  source: string;
  entity: {
    ref: string;
    kind: string;
    name: string;
    title?: string;
    description?: string;
    type?: string;
    lifecycle?: string;
  };
  owner: PartyReport | null;
  /** Users in the owner Group, by ref; empty when the owner is a User. */
  members: PartyReport[];
  /**
   * The rotation, the entity whose annotation named it (the service itself, or its owner), and its
   * schedule's answer: who is on call now, next, and the escalation. Null without an annotation.
   */
  oncall: OnCallReport | null;
  runbook: string | null;
  /** The `paver.dev/slo` annotation: the OpenSLO file, as the service names it. */
  slo: string | null;
  /** Its SLO entities: objectives, window and the generated alerting rules. */
  slos: WhoOwnsSlo[];
  /** The System a Component or API is part of; null for a System itself. */
  system: string | null;
  domain: string | null;
  dependsOn: string[];
  dependedOnBy: Dependent[];
}

/** Options of `paver who-owns`. */
export interface WhoOwnsOptions {
  json?: boolean;
  /** The moment to ask about, an ISO-8601 instant with an offset (default: now). */
  at?: string;
}

/** `paver who-owns <service>`: everything an on-call engineer needs about a service, on one screen. */
export async function whoOwns(
  name: string,
  source: CatalogSource,
  options: WhoOwnsOptions,
  io: CliIo,
): Promise<void> {
  const at = options.at === undefined ? new Date() : parseAt(options.at);
  const report = await buildReport(name, source, at);
  io.stdout.write(
    options.json
      ? `${JSON.stringify(report, null, 2)}\n`
      : renderReport(report),
  );
}

function parseAt(text: string): Date {
  const at = parseIsoInstant(text);
  if (!at) {
    throw new UsageError(
      `--at "${text}" is not an ISO-8601 instant with an offset, such as 2026-03-09T02:00:00Z`,
    );
  }
  return at;
}

/**
 * Finds the service by name (Component, then API, then System) and gathers its ownership, with
 * who its schedule has on call at `at`.
 */
export async function buildReport(
  name: string,
  source: CatalogSource,
  at: Date = new Date(),
): Promise<WhoOwnsReport> {
  const entity = await findService(name, source);
  const ref = entityRefOf(entity);
  const kind = entity.kind.toLowerCase();
  const spec = (entity.spec ?? {}) as Record<string, unknown>;
  const annotations = entity.metadata.annotations ?? {};

  const ownerRef = refsIn(entity, 'owner', 'Group')[0];
  const owner = ownerRef ? await source.get(ownerRef) : undefined;
  const members =
    owner && owner.kind.toLowerCase() === 'group'
      ? await source.membersOf(ownerRef)
      : [];

  const ownRotation = nonEmpty(annotations[ONCALL_ANNOTATION]);
  const ownerRotation = nonEmpty(
    owner?.metadata.annotations?.[ONCALL_ANNOTATION],
  );
  let oncall: OnCallReport | null = null;
  if (ownRotation) oncall = await onCallReport(ownRotation, entity, source, at);
  else if (ownerRotation && owner)
    oncall = await onCallReport(ownerRotation, owner, source, at);

  const systemRef =
    kind === 'system' ? undefined : refsIn(entity, 'system', 'System')[0];
  const system = systemRef ? await source.get(systemRef) : undefined;
  const domainRef =
    kind === 'system'
      ? refsIn(entity, 'domain', 'Domain')[0]
      : system && refsIn(system, 'domain', 'Domain')[0];

  const [dependsOn, dependedOnBy, slos] = await Promise.all([
    source.dependenciesOf(entity),
    source.dependentsOf(ref),
    source.slosOf(entity),
  ]);
  return {
    source: source.label,
    entity: {
      ref,
      kind: entity.kind,
      name: entity.metadata.name,
      ...optional('title', entity.metadata.title),
      ...optional('description', entity.metadata.description),
      ...optional('type', spec.type),
      ...optional('lifecycle', spec.lifecycle),
    },
    owner: ownerRef ? party(ownerRef, owner) : null,
    members: members
      .map(m => party(entityRefOf(m), m))
      .sort((a, b) => a.ref.localeCompare(b.ref)),
    oncall,
    runbook: runbookOf(entity),
    slo: nonEmpty(annotations[SLO_ANNOTATION]) ?? null,
    slos,
    system: systemRef ?? null,
    domain: domainRef ?? null,
    dependsOn,
    dependedOnBy,
  };
}

async function findService(
  name: string,
  source: CatalogSource,
): Promise<Entity> {
  const candidates = candidateRefs(name);
  for (const ref of candidates) {
    const entity = await source.get(ref);
    if (entity) return entity;
  }
  const close = suggestions(name, await source.serviceRefs());
  throw new EntityNotFoundError(
    `no Component, API or System named "${name}" in ${source.label}${
      close.length ? `; did you mean ${close.join(', ')}?` : ''
    }`,
  );
}

/** `invoices` → component, api and system refs in default; `system:billing` → just that one. */
function candidateRefs(name: string): string[] {
  try {
    if (name.includes(':')) {
      const ref = normalizeEntityRef(name);
      if (!SERVICE_KINDS.some(k => ref.startsWith(`${k}:`))) {
        throw new UsageError(`"${name}" is not a Component, API or System ref`);
      }
      return [ref];
    }
    return SERVICE_KINDS.map(kind =>
      normalizeEntityRef(name, {
        defaultKind: kind,
        defaultNamespace: 'default',
      }),
    );
  } catch (error) {
    if (error instanceof CatalogLintError)
      throw new UsageError(error.message, { cause: error });
    throw error;
  }
}

/** Up to three names close to `name` (edit distance, or one containing the other), closest first. */
export function suggestions(name: string, refs: string[]): string[] {
  const wanted = name.toLowerCase().replace(/^.*[:/]/, '');
  const scored = refs.map(ref => {
    const short = ref.replace(/^.*[:/]/, '');
    const distance = editDistance(wanted, short);
    const related =
      wanted.length >= 3 && (short.includes(wanted) || wanted.includes(short));
    return {
      ref,
      short,
      distance,
      close: related || distance <= Math.max(2, Math.floor(wanted.length / 3)),
    };
  });
  const shown = scored
    .filter(s => s.close)
    .sort((a, b) => a.distance - b.distance || a.ref.localeCompare(b.ref))
    .map(s =>
      s.ref.split(':')[1].startsWith('default/')
        ? `${s.short} (${s.ref.split(':')[0]})`
        : s.ref,
    );
  return [...new Set(shown)].slice(0, 3);
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(
        previous[j] + 1,
        current[j - 1] + 1,
        previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    previous = current;
  }
  return previous[b.length];
}

/** The first `metadata.links` entry titled runbook, else the `paver.dev/runbook` annotation. */
function runbookOf(entity: Entity): string | null {
  const link = (entity.metadata.links ?? []).find(l =>
    /runbook/i.test(l?.title ?? ''),
  );
  return (
    nonEmpty(link?.url) ??
    nonEmpty(entity.metadata.annotations?.[RUNBOOK_ANNOTATION]) ??
    null
  );
}

/** The report as text: a heading, then one labelled row per fact, lists one item per line. */
export function renderReport(report: WhoOwnsReport): string {
  const { entity } = report;
  const lines = [
    `${entity.kind} ${entity.title ?? entity.name} (${entity.ref})`,
  ];
  const facts = [entity.type, entity.lifecycle].filter(Boolean).join(', ');
  if (entity.description || facts)
    lines.push(
      `  ${[entity.description, facts && `[${facts}]`]
        .filter(Boolean)
        .join(' ')}`,
    );
  lines.push('');

  const rows: [string, string[]][] = [
    [
      'owner',
      [report.owner ? describeParty(report.owner) : 'none (no spec.owner)'],
    ],
    [
      'members',
      report.members.length ? report.members.map(describeParty) : ['none'],
    ],
    [
      'on-call',
      [
        report.oncall
          ? describeOncall(report)
          : `none (no ${ONCALL_ANNOTATION} on it or its owner)`,
      ],
    ],
    ...(report.oncall ? onCallRows(report.oncall) : []),
    ['runbook', [report.runbook ?? 'none']],
    ['slo', sloLines(report)],
    [
      'system',
      [
        report.system ??
          (entity.kind.toLowerCase() === 'system'
            ? '(this is the System)'
            : 'none'),
      ],
    ],
    ['domain', [report.domain ?? 'none']],
    [
      'depends on',
      report.dependsOn.length ? report.dependsOn : ['nothing recorded'],
    ],
    [
      'depended on by',
      report.dependedOnBy.length
        ? report.dependedOnBy.map(d =>
            d.via === 'consumesApis' ? `${d.ref} (consumes the API)` : d.ref,
          )
        : ['nothing recorded'],
    ],
  ];
  const width = Math.max(...rows.map(([label]) => label.length));
  for (const [label, values] of rows) {
    values.forEach((value, i) =>
      lines.push(`  ${(i === 0 ? label : '').padEnd(width)}  ${value}`),
    );
  }
  lines.push('', `from ${report.source}`);
  return `${lines.join('\n')}\n`;
}

/** The SLOs the catalog holds; else the file the annotation names (a folder has no SLO entities). */
function sloLines(report: WhoOwnsReport): string[] {
  if (report.slos.length) return report.slos.map(describeSlo);
  return [report.slo ?? 'none'];
}

function describeOncall(report: WhoOwnsReport): string {
  const { rotation, from } = report.oncall!;
  return from === report.entity.ref
    ? rotation
    : `${rotation} (the owner's rotation, from ${from})`;
}

/** The rows under `on-call`: who is on call now and until when, who is next, the escalation. */
function onCallRows(oncall: OnCallReport): [string, string[]][] {
  if (oncall.problem) return [['on call now', [`unknown: ${oncall.problem}`]]];
  const zone = oncall.timeZone!;
  const now = oncall.now
    ? [describeShift(oncall.now), `until ${bothClocks(oncall.now.until, zone)}`]
    : ['nobody: the rotation has not started'];
  const next = oncall.next
    ? [
        describeShift(oncall.next),
        `from ${bothClocks(oncall.next.from, zone)}`,
        `until ${bothClocks(oncall.next.until, zone)}`,
      ]
    : [];
  return [
    ['on call now', now],
    ['next', next],
    ['escalation', oncall.escalation.map(describeLevel)],
  ];
}

function describeShift(shift: OnCallShiftReport): string {
  return `${describeParty(shift.user)}${shift.override ? ', an override' : ''}`;
}

/** `Tue 2026-03-10 18:00 Europe/Berlin (Tue 2026-03-10 17:00 UTC)`. */
function bothClocks(instant: string, zone: string): string {
  const at = new Date(instant);
  return `${formatInZone(at, zone)} (${formatInZone(at, 'UTC')})`;
}

function describeLevel(level: EscalationLevelReport): string {
  return `after ${level.afterMinutes} min: ${level.targets
    .map(describeTarget)
    .join('; ')}`;
}

function describeTarget(target: EscalationTargetReport): string {
  const person = target.user ? describeParty(target.user) : 'nobody';
  if (target.type === 'on-call') return `${person}, on call`;
  if (target.type === 'user') return person;
  return target.problem
    ? `whoever is on call for ${target.schedule} (unknown: ${target.problem})`
    : `${person}, on call for ${target.schedule}`;
}
