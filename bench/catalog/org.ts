// A synthetic organisation of N catalog entities, shaped like a large company's catalog and valid
// under Paver's catalog rules (plugins/catalog-backend-module-paver: owners are Groups that exist,
// production Components have a runbook and an on-call rotation, schedules name Users and schedules
// that exist), so every entity is processed and stitched without errors.
//
// Proportions (of N): Groups 2 % (a root, departments, teams, each with a `parent`), Users 15 %
// (memberOf one team, one in ten also a second), Components 45 %, APIs 22.5 %, SLOs 9 %, one
// on-call schedule Resource per Group (2 %), one Domain per department, Systems the rest (~4 %).
// Components: owner the team owning their System, type service / website / library, lifecycle
// production (70 %) / experimental / deprecated, a Runbook link when in production,
// `paver.dev/oncall` on 60 % (the rest get their owner Group's rotation), provide 0–1 API (each API
// has one provider), consume 0–3 APIs and depend on 0–3 other Components. One Component in ten (all
// in production) names an OpenSLO file beside its catalog file (`paver.dev/slo`) with two SLOs
// (availability and latency): Paver's SLO processor turns each into a `kind: SLO` entity, so SLOs
// are not in the location files but are counted in N. Deterministic for a given N and seed.

/** A catalog entity as written in a catalog-info.yaml. */
export interface OrgEntity {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    title?: string;
    description?: string;
    annotations?: Record<string, string>;
    tags?: string[];
    links?: { url: string; title: string; icon?: string }[];
  };
  spec: Record<string, unknown>;
}

export interface Org {
  /** Every entity of the location files, in file order (organisation first). */
  entities: OrgEntity[];
  /** OpenSLO files by Component name (served as `slo/<name>.yaml` beside its location file). */
  sloFiles: Map<string, string>;
  /** Entities the catalog will hold: the files' entities and the SLO entities made from sloFiles. */
  total: number;
  /** Names of every Component, for the who-owns clients. */
  components: string[];
  /** Entities per kind (Resource = on-call schedules; SLO = made by the catalog from sloFiles). */
  counts: Record<string, number>;
  /** Relations declared in the files (owner, parent, memberOf, system, domain, providesApis, consumesApis, dependsOn). */
  declaredRelations: number;
}

const V1 = 'backstage.io/v1alpha1';
const ZONES = [
  'Europe/Berlin',
  'Europe/Lisbon',
  'America/New_York',
  'America/Los_Angeles',
  'Asia/Tokyo',
  'Asia/Kolkata',
];

/** mulberry32: a small seeded PRNG, so two runs (and both settings) ingest the same catalog. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pad = (i: number, width: number) => String(i).padStart(width, '0');

export function generateOrg(n: number, seed = 12): Org {
  const rand = prng(seed);
  const int = (max: number) => Math.floor(rand() * max);
  const pick = <T>(xs: readonly T[]) => xs[int(xs.length)];

  const groupCount = Math.max(4, Math.round(n * 0.02));
  const departmentCount = Math.max(1, Math.round(groupCount / 12));
  const teamCount = groupCount - 1 - departmentCount;
  const userCount = Math.max(teamCount * 3, Math.round(n * 0.15));
  const componentCount = Math.round(n * 0.45);
  const apiCount = Math.round(n * 0.225);
  const hasSlos = (c: number) => c % 10 === 0; // lifecycles[0]: production
  const SLOS_PER_FILE = 2;
  const sloCount = Math.ceil(componentCount / 10) * SLOS_PER_FILE;
  const scheduleCount = groupCount;
  const domainCount = departmentCount;
  const systemCount = Math.max(
    1,
    n -
      groupCount -
      userCount -
      componentCount -
      apiCount -
      sloCount -
      scheduleCount -
      domainCount,
  );

  const root = 'grp-company';
  const departments = Array.from(
    { length: departmentCount },
    (_, i) => `grp-dept-${pad(i, 3)}`,
  );
  const teams = Array.from(
    { length: teamCount },
    (_, i) => `grp-team-${pad(i, 4)}`,
  );
  const departmentOf = (team: number) => team % departmentCount;
  const users = Array.from({ length: userCount }, (_, i) => `usr-${pad(i, 5)}`);
  // Users of team t: t, t + teamCount, t + 2·teamCount, ...
  const usersOf = (team: number) => {
    const list: string[] = [];
    for (let u = team; u < userCount; u += teamCount) list.push(users[u]);
    return list;
  };
  const schedule = (group: string) => `oncall-${group.slice(4)}`;
  const systems = Array.from(
    { length: systemCount },
    (_, i) => `sys-${pad(i, 4)}`,
  );
  const systemTeam = (s: number) => s % teamCount;
  const components = Array.from(
    { length: componentCount },
    (_, i) => `svc-${pad(i, 5)}`,
  );
  const componentSystem = (c: number) => c % systemCount;
  const apis = Array.from({ length: apiCount }, (_, i) => `api-${pad(i, 5)}`);
  // API a is provided by Component 2a (wrapping when there are more APIs than even Components).
  const provider = (a: number) => (a * 2) % componentCount;

  const entities: OrgEntity[] = [];
  let relations = 0;
  const group = (
    name: string,
    type: string,
    title: string,
    parent?: string,
  ): OrgEntity => {
    if (parent) relations += 1;
    return {
      apiVersion: V1,
      kind: 'Group',
      metadata: {
        name,
        title,
        description: `The ${title} ${type}.`,
        annotations: { 'paver.dev/oncall': schedule(name) },
        links: [
          {
            url: `https://chat.example.com/channels/${name}`,
            title: 'Team channel',
            icon: 'chat',
          },
        ],
      },
      spec: {
        type,
        profile: { displayName: title, email: `${name}@example.com` },
        ...(parent && { parent: `group:default/${parent}` }),
        children: [],
      },
    };
  };
  entities.push(group(root, 'organization', 'Company'));
  departments.forEach((d, i) =>
    entities.push(group(d, 'department', `Department ${i}`, root)),
  );
  teams.forEach((t, i) =>
    entities.push(group(t, 'team', `Team ${i}`, departments[departmentOf(i)])),
  );

  users.forEach((u, i) => {
    const memberOf = [`group:default/${teams[i % teamCount]}`];
    if (i % 10 === 3 && teamCount > 1)
      memberOf.push(`group:default/${teams[(i + 7) % teamCount]}`);
    relations += memberOf.length;
    entities.push({
      apiVersion: V1,
      kind: 'User',
      metadata: { name: u },
      spec: {
        profile: {
          displayName: `User ${i}`,
          email: `${u}@example.com`,
        },
        memberOf,
      },
    });
  });

  // One schedule per Group: a team's pages its members, then its lead, then its department's
  // schedule; a department's pages the leads of its teams; the root's the department leads.
  const scheduleEntity = (
    owner: string,
    members: string[],
    escalateTo?: string,
  ): OrgEntity => {
    relations += 1;
    const lead = members[0];
    return {
      apiVersion: V1,
      kind: 'Resource',
      metadata: {
        name: schedule(owner),
        title: `${owner} on-call`,
        description: `Who is paged for anything ${owner} owns.`,
      },
      spec: {
        type: 'on-call-schedule',
        owner: `group:default/${owner}`,
        schedule: {
          timeZone: pick(ZONES),
          rotation: pick(['P1D', 'P1W', 'P1W']),
          handoff: '2026-01-05T09:00',
          members: members.map(m => `user:default/${m}`),
          overrides: [],
          escalation: [
            { afterMinutes: 0, targets: [{ type: 'on-call' }] },
            {
              afterMinutes: 15,
              targets: [{ type: 'user', ref: `user:default/${lead}` }],
            },
            ...(escalateTo
              ? [
                  {
                    afterMinutes: 30,
                    targets: [
                      {
                        type: 'schedule',
                        ref: `resource:default/${schedule(escalateTo)}`,
                      },
                    ],
                  },
                ]
              : []),
          ],
        },
      },
    };
  };
  const teamsOf = (d: number) =>
    teams.filter((_, t) => departmentOf(t) === d).slice(0, 4);
  entities.push(scheduleEntity(root, [users[0], users[1 % userCount]]));
  departments.forEach((d, i) => {
    const leads = teamsOf(i).map(t => usersOf(teams.indexOf(t))[0]);
    entities.push(scheduleEntity(d, leads.length ? leads : [users[0]], root));
  });
  teams.forEach((t, i) => {
    const members = usersOf(i).slice(0, 2 + (i % 3));
    entities.push(scheduleEntity(t, members, departments[departmentOf(i)]));
  });

  departments.forEach((d, i) => {
    relations += 1;
    entities.push({
      apiVersion: V1,
      kind: 'Domain',
      metadata: {
        name: `dom-${pad(i, 3)}`,
        title: `Domain ${i}`,
        description: `Everything Department ${i} builds.`,
      },
      spec: { owner: `group:default/${d}` },
    });
  });

  systems.forEach((s, i) => {
    const team = systemTeam(i);
    relations += 2;
    entities.push({
      apiVersion: V1,
      kind: 'System',
      metadata: {
        name: s,
        title: `System ${i}`,
        description: `System ${i}: a handful of services and their APIs.`,
      },
      spec: {
        owner: `group:default/${teams[team]}`,
        domain: `domain:default/dom-${pad(departmentOf(team), 3)}`,
      },
    });
  });

  // Components and the APIs they provide, side by side (as one repository would hold them).
  const lifecycles = [
    'production',
    'production',
    'production',
    'production',
    'production',
    'production',
    'production',
    'experimental',
    'experimental',
    'deprecated',
  ];
  const apiEntity = (a: number): OrgEntity => {
    const c = provider(a);
    const system = componentSystem(c);
    relations += 2;
    return {
      apiVersion: V1,
      kind: 'API',
      metadata: {
        name: apis[a],
        title: `API ${a}`,
        description: `The HTTP API of ${components[c]}.`,
        tags: ['rest'],
      },
      spec: {
        type: 'openapi',
        lifecycle: 'production',
        owner: `group:default/${teams[systemTeam(system)]}`,
        system: `system:default/${systems[system]}`,
        definition: [
          'openapi: 3.0.3',
          `info: { title: ${apis[a]}, version: 1.0.0 }`,
          'paths:',
          '  /health:',
          '    get:',
          "      responses: { '200': { description: OK } }",
          `  /v1/${apis[a]}/{id}:`,
          '    get:',
          '      parameters: [{ name: id, in: path, required: true, schema: { type: string } }]',
          "      responses: { '200': { description: OK }, '404': { description: Not found } }",
          '',
        ].join('\n'),
      },
    };
  };
  const sloFiles = new Map<string, string>();
  const provided = new Map<number, number[]>();
  for (let a = 0; a < apiCount; a++) {
    const c = provider(a);
    provided.set(c, [...(provided.get(c) ?? []), a]);
  }
  for (let c = 0; c < componentCount; c++) {
    const system = componentSystem(c);
    const team = teams[systemTeam(system)];
    const lifecycle = lifecycles[c % lifecycles.length];
    const own = provided.get(c) ?? [];
    const consumes = [
      ...new Set(Array.from({ length: int(4) }, () => int(apiCount))),
    ]
      .filter(a => !own.includes(a))
      .map(a => `api:default/${apis[a]}`);
    const dependsOn = [
      ...new Set(Array.from({ length: int(4) }, () => int(componentCount))),
    ]
      .filter(d => d !== c)
      .map(d => `component:default/${components[d]}`);
    relations += 2 + own.length + consumes.length + dependsOn.length;
    const annotations: Record<string, string> = {
      'backstage.io/techdocs-ref': 'dir:.',
    };
    if (c % 10 < 6) annotations['paver.dev/oncall'] = schedule(team);
    if (hasSlos(c)) {
      annotations['paver.dev/slo'] = `slo/${components[c]}.yaml`;
      sloFiles.set(components[c], openSlo(components[c]));
      relations += SLOS_PER_FILE * 2;
    }
    entities.push({
      apiVersion: V1,
      kind: 'Component',
      metadata: {
        name: components[c],
        title: `Service ${c}`,
        description: `Service ${c} of ${systems[system]}.`,
        annotations,
        tags: [pick(['typescript', 'go', 'java', 'python']), 'http'],
        links:
          lifecycle === 'production'
            ? [
                {
                  url: `https://runbooks.example.com/${components[c]}`,
                  title: 'Runbook',
                },
              ]
            : [],
      },
      spec: {
        type: pick(['service', 'service', 'service', 'website', 'library']),
        lifecycle,
        owner: `group:default/${team}`,
        system: `system:default/${systems[system]}`,
        ...(own.length && {
          providesApis: own.map(a => `api:default/${apis[a]}`),
        }),
        ...(consumes.length && { consumesApis: consumes }),
        ...(dependsOn.length && { dependsOn }),
      },
    });
    for (const a of own) entities.push(apiEntity(a));
  }

  const counts: Record<string, number> = {};
  for (const e of entities) counts[e.kind] = (counts[e.kind] ?? 0) + 1;
  counts.SLO = sloFiles.size * SLOS_PER_FILE;
  return {
    entities,
    sloFiles,
    total: entities.length + counts.SLO,
    components,
    counts,
    declaredRelations: relations,
  };
}

/** A service's slo.yaml (OpenSLO v1): one ratio SLI per SLO, availability and latency. */
function openSlo(service: string): string {
  const ratio = (
    name: string,
    good: string,
    total: string,
  ) => `apiVersion: openslo/v1
kind: SLI
metadata:
  name: ${name}
spec:
  ratioMetric:
    counter: true
    good:
      metricSource:
        type: Prometheus
        spec:
          query: ${good}
    total:
      metricSource:
        type: Prometheus
        spec:
          query: ${total}
`;
  const slo = (
    name: string,
    sli: string,
    target: number,
    title: string,
  ) => `apiVersion: openslo/v1
kind: SLO
metadata:
  name: ${name}
  displayName: ${title}
spec:
  service: ${service}
  indicatorRef: ${sli}
  timeWindow:
    - duration: 30d
      isRolling: true
  budgetingMethod: Occurrences
  objectives:
    - displayName: ${title}
      target: ${target}
`;
  const job = `job="${service}"`;
  return [
    ratio(
      `${service}-requests`,
      `sum(rate(http_requests_total{${job},status!~"5.."}[{{.window}}]))`,
      `sum(rate(http_requests_total{${job}}[{{.window}}]))`,
    ),
    ratio(
      `${service}-fast-requests`,
      `sum(rate(http_request_duration_seconds_bucket{${job},le="0.3"}[{{.window}}]))`,
      `sum(rate(http_request_duration_seconds_count{${job}}[{{.window}}]))`,
    ),
    slo(
      `${service}-availability`,
      `${service}-requests`,
      0.999,
      'Availability',
    ),
    slo(
      `${service}-latency`,
      `${service}-fast-requests`,
      0.99,
      'Latency under 300 ms',
    ),
  ].join('---\n');
}
