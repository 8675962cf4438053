import { stringifyEntityRef, type Entity } from '@backstage/catalog-model';
import type { ResolvedSlo } from '@paver/slo';

// SLOs as catalog entities of their own: one `kind: SLO` per OpenSLO SLO in a service's slo.yaml,
// related both ways to its Component, so the catalog API answers "which SLOs does billing have"
// (relations) and "every SLO under 99.9 %" (spec.objectives) alike.

/** The apiVersion of Paver's own kinds. */
export const PAVER_API_VERSION = 'paver.dev/v1alpha1';

/** The kind of an SLO entity. */
export const SLO_KIND = 'SLO';

/** Component → its SLOs. */
export const RELATION_HAS_SLO = 'hasSlo';

/** SLO → the Component it measures. */
export const RELATION_SLO_OF = 'sloOf';

/** An SLO entity's spec: what the SLO card and `paver who-owns` show. */
export interface SloEntitySpec {
  /** The Component it measures. */
  service: string;
  owner: string;
  /** Objectives as ratios in (0, 1]: 0.999 for 99.9 %. */
  objectives: { displayName?: string; target: number }[];
  window: { duration: string; rolling: boolean };
  budgetingMethod: string;
  /** `ratioMetric` or `thresholdMetric`, as OpenSLO names the SLI. */
  indicator: string;
  /** Where the SLO is declared, and the alerting rules generated from it. */
  source: string;
  rules?: string;
}

/**
 * The SLO entity for one resolved SLO of `component`, owned by the Component's owner, in its
 * namespace. SLO names are only unique within one file, so a name that does not start with the
 * Component's (`billing-availability` for billing) gets it as a prefix.
 */
export function sloEntity(
  slo: ResolvedSlo,
  component: Entity,
  urls: { source: string; rules?: string },
): Entity {
  const spec = component.spec as { owner?: unknown } | undefined;
  const sloSpec: SloEntitySpec = {
    service: stringifyEntityRef(component),
    owner: typeof spec?.owner === 'string' ? spec.owner : 'unknown',
    objectives: slo.objectives,
    window: slo.window,
    budgetingMethod: slo.budgetingMethod,
    indicator:
      Object.keys(slo.indicator).find(k => k.endsWith('Metric')) ?? 'unknown',
    source: urls.source,
    ...(urls.rules ? { rules: urls.rules } : {}),
  };
  return {
    apiVersion: PAVER_API_VERSION,
    kind: SLO_KIND,
    metadata: {
      name: sloEntityName(slo.name, component.metadata.name),
      namespace: component.metadata.namespace ?? 'default',
      ...(slo.displayName ? { title: slo.displayName } : {}),
      description: `${slo.objectives
        .map(o => `${+(o.target * 100).toFixed(4)} %`)
        .join(', ')} over ${slo.window.rolling ? 'a rolling' : 'a calendar'} ${
        slo.window.duration
      }`,
    },
    spec: sloSpec as unknown as Entity['spec'],
  };
}

/** True for an entity of Paver's SLO kind. */
export function isSloEntity(entity: Entity): boolean {
  return entity.apiVersion === PAVER_API_VERSION && entity.kind === SLO_KIND;
}

/** The problems with an SLO entity's spec (written by hand, or by sloEntity), by field. */
export function sloSpecProblems(entity: Entity): string[] {
  const spec = (entity.spec ?? {}) as Partial<
    Record<keyof SloEntitySpec, unknown>
  >;
  const problems: string[] = [];
  if (typeof spec.service !== 'string' || !spec.service)
    problems.push('spec.service: must name the Component');
  if (typeof spec.owner !== 'string' || !spec.owner)
    problems.push('spec.owner: must name the owner');
  const objectives = spec.objectives;
  if (
    !Array.isArray(objectives) ||
    objectives.length === 0 ||
    !objectives.every(
      o => typeof o?.target === 'number' && o.target > 0 && o.target <= 1,
    )
  ) {
    problems.push('spec.objectives: each target must be a ratio in (0, 1]');
  }
  const window = spec.window as { duration?: unknown } | undefined;
  if (typeof window?.duration !== 'string')
    problems.push('spec.window.duration: must be a duration such as 30d');
  return problems;
}

/** The SLO entity's name: the OpenSLO name, prefixed with the Component's when it lacks it. */
export function sloEntityName(slo: string, component: string): string {
  const name = slo.startsWith(`${component}-`) ? slo : `${component}-${slo}`;
  return name.slice(0, 63);
}
