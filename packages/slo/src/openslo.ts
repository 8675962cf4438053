import { parseAllDocuments } from 'yaml';
import { z } from 'zod';
import { DURATION } from './duration';
import { SloError } from './errors';

const name = z
  .string()
  .regex(
    /^[a-z0-9]([a-z0-9.-]{0,61}[a-z0-9])?$/,
    'must be a DNS label (lower case, digits, - and .)',
  );
const metadata = z.object({ name, displayName: z.string().optional() }).loose();
const duration = z
  .string()
  .regex(DURATION, 'must be a duration like 28d or 1M');

const metricSource = z
  .object({
    type: z.string(),
    spec: z.object({ query: z.string().min(1, 'must be a query') }).loose(),
  })
  .loose();
const source = z.object({ metricSource }).loose();

const ratioMetric = z
  .object({
    counter: z.boolean(),
    good: source.optional(),
    bad: source.optional(),
    total: source,
  })
  .loose()
  .refine(r => (r.good === undefined) !== (r.bad === undefined), {
    message: 'needs exactly one of good or bad, beside total',
  });

const indicatorSpec = z
  .object({
    ratioMetric: ratioMetric.optional(),
    thresholdMetric: source.optional(),
  })
  .loose()
  .refine(
    s => (s.ratioMetric === undefined) !== (s.thresholdMetric === undefined),
    {
      message: 'needs exactly one of ratioMetric or thresholdMetric',
    },
  );

const timeWindow = z
  .object({
    duration,
    isRolling: z.boolean().optional(),
    calendar: z
      .object({ startTime: z.string(), timeZone: z.string() })
      .optional(),
  })
  .refine(w => w.isRolling === true || w.calendar !== undefined, {
    message:
      'is neither rolling (isRolling: true) nor a calendar window (calendar.startTime, calendar.timeZone)',
  });

const objective = z
  .object({
    displayName: z.string().optional(),
    target: z
      .number()
      .gt(0, 'must be in (0, 1]')
      .lte(1, 'must be in (0, 1]')
      .optional(),
    targetPercent: z
      .number()
      .gt(0, 'must be in (0, 100]')
      .lte(100, 'must be in (0, 100]')
      .optional(),
    op: z.enum(['lt', 'lte', 'gt', 'gte']).optional(),
    value: z.number().optional(),
  })
  .refine(o => (o.target === undefined) !== (o.targetPercent === undefined), {
    message: 'needs exactly one of target (0–1) or targetPercent (0–100)',
  });

const sloSpec = z
  .object({
    description: z.string().optional(),
    service: name,
    indicator: z.object({ metadata, spec: indicatorSpec }).optional(),
    indicatorRef: name.optional(),
    timeWindow: z.array(timeWindow).length(1, 'must hold exactly one window'),
    budgetingMethod: z.enum(['Occurrences', 'Timeslices', 'RatioTimeslices']),
    objectives: z.array(objective).min(1, 'needs at least one objective'),
    alertPolicies: z.array(z.string()).optional(),
  })
  .loose()
  .refine(s => (s.indicator === undefined) !== (s.indicatorRef === undefined), {
    message: 'needs exactly one of indicator or indicatorRef',
  });

const documentSchema = z.discriminatedUnion('kind', [
  z.object({
    apiVersion: z.literal('openslo/v1'),
    kind: z.literal('Service'),
    metadata,
    spec: z.object({ description: z.string().optional() }).loose(),
  }),
  z.object({
    apiVersion: z.literal('openslo/v1'),
    kind: z.literal('SLO'),
    metadata,
    spec: sloSpec,
  }),
  z.object({
    apiVersion: z.literal('openslo/v1'),
    kind: z.literal('SLI'),
    metadata,
    spec: indicatorSpec,
  }),
  z.object({
    apiVersion: z.literal('openslo/v1'),
    kind: z.literal('AlertPolicy'),
    metadata,
    spec: z.object({}).loose(),
  }),
]);

export type OpenSloDocument = z.infer<typeof documentSchema>;
export type Slo = Extract<OpenSloDocument, { kind: 'SLO' }>;
export type Indicator = z.infer<typeof indicatorSpec>;

/** The OpenSLO documents of one file, validated, with SLIs resolved into their SLOs. */
export interface OpenSloFile {
  services: string[];
  slos: ResolvedSlo[];
}

export interface ResolvedSlo {
  name: string;
  displayName?: string;
  service: string;
  indicator: Indicator;
  /** The window in OpenSLO form (`28d`) and whether it rolls. */
  window: { duration: string; rolling: boolean };
  budgetingMethod: string;
  /** Objectives as ratios in (0, 1): `0.995` for 99.5 %. */
  objectives: { displayName?: string; target: number }[];
}

/**
 * Reads an OpenSLO v1 file (a YAML stream). Every problem is an SloError naming the file, the
 * document's kind and name, and the field: `slo.yaml: SLO api-availability:
 * spec.objectives[0].target: must be in (0, 1]`. `knownServices` are services declared
 * elsewhere (the catalog); a Service document in the file counts too.
 */
export function parseOpenSlo(
  text: string,
  file = 'slo.yaml',
  knownServices: string[] = [],
): OpenSloFile {
  const documents = readYamlStream(text, file)
    .filter(d => d !== null)
    .map((d, i) => validateDocument(d, file, i));
  const services = new Set([
    ...knownServices,
    ...documents.filter(d => d.kind === 'Service').map(d => d.metadata.name),
  ]);
  const slis = new Map(
    documents.flatMap(d =>
      d.kind === 'SLI' ? [[d.metadata.name, d.spec] as const] : [],
    ),
  );
  const slos = documents
    .filter((d): d is Slo => d.kind === 'SLO')
    .map(slo => resolve(slo, file, services, slis));
  return { services: [...services], slos };
}

function validateDocument(
  document: unknown,
  file: string,
  index: number,
): OpenSloDocument {
  const result = documentSchema.safeParse(document);
  if (result.success) return result.data;
  const described = document as
    | { kind?: unknown; metadata?: { name?: unknown } }
    | undefined;
  const who =
    typeof described?.kind === 'string'
      ? `${described.kind} ${String(
          described.metadata?.name ?? `(document ${index})`,
        )}`
      : `document ${index}`;
  const problems = result.error.issues.map(
    issue => `${fieldPath(issue.path)}: ${issue.message}`,
  );
  throw new SloError(`${file}: ${who}: ${problems.join('; ')}`);
}

function resolve(
  slo: Slo,
  file: string,
  services: Set<string>,
  slis: Map<string, Indicator>,
): ResolvedSlo {
  const where = `${file}: SLO ${slo.metadata.name}`;
  if (!services.has(slo.spec.service)) {
    throw new SloError(
      `${where}: spec.service: ${slo.spec.service} is not a known service (declare a Service document or register it in the catalog)`,
    );
  }
  const indicator =
    slo.spec.indicator?.spec ?? slis.get(slo.spec.indicatorRef!);
  if (!indicator)
    throw new SloError(
      `${where}: spec.indicatorRef: no SLI named ${slo.spec.indicatorRef} in this file`,
    );
  const [window] = slo.spec.timeWindow;
  return {
    name: slo.metadata.name,
    displayName: slo.metadata.displayName,
    service: slo.spec.service,
    indicator,
    window: { duration: window.duration, rolling: window.isRolling === true },
    budgetingMethod: slo.spec.budgetingMethod,
    objectives: slo.spec.objectives.map(o => ({
      displayName: o.displayName,
      target: o.target ?? o.targetPercent! / 100,
    })),
  };
}

function fieldPath(path: PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out ? `.${String(key)}` : String(key);
  }
  return out || '(document)';
}

// Plain data only: YAML 1.2 core schema, no custom tags or merge keys, duplicate keys refused,
// aliases bounded (a "billion laughs" file fails instead of eating the memory).
function readYamlStream(text: string, file: string): unknown[] {
  const documents = parseAllDocuments(text, {
    version: '1.2',
    schema: 'core',
    merge: false,
    customTags: [],
    uniqueKeys: true,
    prettyErrors: false,
  });
  const list = Array.isArray(documents) ? documents : [];
  return list.map((doc, index) => {
    const [error] = doc.errors;
    if (error) {
      throw new SloError(
        `${file}: document ${index}: ${error.message.split('\n')[0]}`,
      );
    }
    try {
      return doc.toJS({ maxAliasCount: 100 }) ?? null;
    } catch (cause) {
      throw new SloError(
        `${file}: document ${index}: ${(cause as Error).message}`,
        { cause },
      );
    }
  });
}
