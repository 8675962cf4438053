import {
  CatalogLintError,
  entityRefOf,
  normalizeEntityRef,
} from '@paver/catalog-lint';
import {
  ONCALL_ANNOTATION,
  RUNBOOK_ANNOTATION,
  SLO_ANNOTATION,
} from '@paver/plugin-paver-common';
import { EntityNotFoundError, UsageError } from '../errors';
import { CliIo } from '../io';
import {
  refsIn,
  SERVICE_KINDS,
  type CatalogSource,
  type Dependent,
  type Entity,
} from '../catalog/source';

/** A person or team as the report shows it. */
export interface PartyReport {
  ref: string;
  /** False when the ref names nothing in the catalog (the rest is then unknown). */
  found: boolean;
  displayName?: string;
  email?: string;
}

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
  /** The rotation and the entity whose annotation named it (the service itself, or its owner). */
  oncall: { rotation: string; from: string } | null;
  runbook: string | null;
  slo: string | null;
  /** The System a Component or API is part of; null for a System itself. */
  system: string | null;
  domain: string | null;
  dependsOn: string[];
  dependedOnBy: Dependent[];
}

/** `paver who-owns <service>`: everything an on-call engineer needs about a service, on one screen. */
export async function whoOwns(
  name: string,
  source: CatalogSource,
  options: { json?: boolean },
  io: CliIo,
): Promise<void> {
  const report = await buildReport(name, source);
  io.stdout.write(
    options.json
      ? `${JSON.stringify(report, null, 2)}\n`
      : renderReport(report),
  );
}

/** Finds the service by name (Component, then API, then System) and gathers its ownership. */
export async function buildReport(
  name: string,
  source: CatalogSource,
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
  let oncall: { rotation: string; from: string } | null = null;
  if (ownRotation) oncall = { rotation: ownRotation, from: ref };
  else if (ownerRotation && ownerRef)
    oncall = { rotation: ownerRotation, from: ownerRef };

  const systemRef =
    kind === 'system' ? undefined : refsIn(entity, 'system', 'System')[0];
  const system = systemRef ? await source.get(systemRef) : undefined;
  const domainRef =
    kind === 'system'
      ? refsIn(entity, 'domain', 'Domain')[0]
      : system && refsIn(system, 'domain', 'Domain')[0];

  const [dependsOn, dependedOnBy] = await Promise.all([
    source.dependenciesOf(entity),
    source.dependentsOf(ref),
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

function party(ref: string, entity: Entity | undefined): PartyReport {
  if (!entity) return { ref, found: false };
  const profile = ((entity.spec as Record<string, any> | undefined)?.profile ??
    {}) as Record<string, unknown>;
  return {
    ref,
    found: true,
    ...optional('displayName', profile.displayName ?? entity.metadata.title),
    ...optional('email', profile.email),
  };
}

function optional<K extends string>(
  key: K,
  value: unknown,
): { [P in K]?: string } {
  const text = nonEmpty(value);
  return (text === undefined ? {} : { [key]: text }) as { [P in K]?: string };
}

function nonEmpty(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== ''
    ? value.trim()
    : undefined;
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
    ['runbook', [report.runbook ?? 'none']],
    ['slo', [report.slo ?? 'none']],
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

function describeParty(p: PartyReport): string {
  if (!p.found) return `${p.ref} (not in the catalog)`;
  const name = p.displayName ? `${p.displayName} ` : '';
  const email = p.email ? `<${p.email}> ` : '';
  return `${name}${email}${name || email ? `(${p.ref})` : p.ref}`;
}

function describeOncall(report: WhoOwnsReport): string {
  const { rotation, from } = report.oncall!;
  return from === report.entity.ref
    ? rotation
    : `${rotation} (the owner's rotation, from ${from})`;
}
