import type { Entity } from './source';

/** One SLO as `paver who-owns` shows it. */
export interface WhoOwnsSlo {
  name: string;
  title?: string;
  /** Ratios in (0, 1]: 0.999 for 99.9 %. */
  objectives: number[];
  window: { duration: string; rolling: boolean };
  /** The Prometheus rules generated from it (alerts included), where known. */
  rules?: string;
}

/** An SLO entity (`kind: SLO`, written by the catalog from a service's slo.yaml) as a summary. */
export function whoOwnsSloOf(entity: Entity): WhoOwnsSlo {
  const spec = (entity.spec ?? {}) as {
    objectives?: { target?: unknown }[];
    window?: { duration?: unknown; rolling?: unknown };
    rules?: unknown;
  };
  return {
    name: entity.metadata.name,
    ...(entity.metadata.title ? { title: entity.metadata.title } : {}),
    objectives: (spec.objectives ?? []).flatMap(o =>
      typeof o?.target === 'number' ? [o.target] : [],
    ),
    window: {
      duration: String(spec.window?.duration ?? '?'),
      rolling: spec.window?.rolling === true,
    },
    ...(typeof spec.rules === 'string' ? { rules: spec.rules } : {}),
  };
}

/** `99.9 % over a rolling 28d (rules: …)`. */
export function describeSlo(slo: WhoOwnsSlo): string {
  const targets = slo.objectives
    .map(t => `${+(t * 100).toFixed(4)} %`)
    .join(', ');
  const window = `${slo.window.rolling ? 'rolling' : 'calendar'} ${
    slo.window.duration
  }`;
  return `${slo.title ?? slo.name}: ${targets} over a ${window}${
    slo.rules ? ` (alerts: ${slo.rules})` : ''
  }`;
}
