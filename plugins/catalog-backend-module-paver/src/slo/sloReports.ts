import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  parseEntityRef,
  stringifyEntityRef,
  type Entity,
} from '@backstage/catalog-model';
import { NotFoundError } from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import type { SloReport, SloSummary } from '@paver/plugin-paver-common';
import {
  isSloEntity,
  RELATION_HAS_SLO,
  type SloEntitySpec,
} from '../processors/sloEntities';
import type { PrometheusApi } from './prometheusApi';
import {
  objectiveLabel,
  readSloReadings,
  type SloReadings,
} from './sloReadings';

/** What {@link SloReports} reads. */
export interface SloReportsOptions {
  catalog: Pick<CatalogService, 'getEntityByRef' | 'getEntitiesByRefs'>;
  /** Set when `paver.slo.prometheus.baseUrl` is configured: budgets and alerts are read from it. */
  prometheus?: Pick<PrometheusApi, 'query'>;
}

/**
 * The SLO card's answer for an entity: its SLO entities (a Component's `hasSlo` relations, or
 * the SLO entity itself) as the catalog holds them, each objective's error budget remaining and
 * the burn alerts firing now as Prometheus has them. Prometheus failing costs the budgets and
 * alerts, never the SLOs: the report then carries `prometheusError`.
 */
export class SloReports {
  constructor(private readonly options: SloReportsOptions) {}

  async report(
    entityRef: string,
    credentials: BackstageCredentials,
  ): Promise<SloReport> {
    const entity = await this.options.catalog.getEntityByRef(entityRef, {
      credentials,
    });
    if (!entity)
      throw new NotFoundError(`no entity ${entityRef} in the catalog`);
    const slos = isSloEntity(entity)
      ? [entity]
      : await this.slosOf(entity, credentials);
    const readings = await this.read(slos);
    const error = [...readings.values()].find(r => r.error)?.error;
    return {
      entityRef: stringifyEntityRef(entity),
      prometheusConfigured: this.options.prometheus !== undefined,
      ...(error ? { prometheusError: error } : {}),
      slos: slos.map(slo =>
        summarize(slo, readings.get(serviceNameOf(slo)) ?? {}),
      ),
    };
  }

  /** The SLO entities the entity's `hasSlo` relations point at, by name. */
  private async slosOf(
    entity: Entity,
    credentials: BackstageCredentials,
  ): Promise<Entity[]> {
    const refs = (entity.relations ?? [])
      .filter(r => r.type === RELATION_HAS_SLO)
      .map(r => r.targetRef);
    if (refs.length === 0) return [];
    const { items } = await this.options.catalog.getEntitiesByRefs(
      { entityRefs: refs },
      { credentials },
    );
    return items
      .filter((e): e is Entity => e !== undefined && isSloEntity(e))
      .sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));
  }

  /** Prometheus' readings for each service the SLOs measure (one, for a Component's card). */
  private async read(slos: Entity[]): Promise<Map<string, SloReadings>> {
    const { prometheus } = this.options;
    if (!prometheus) return new Map();
    const services = [...new Set(slos.map(serviceNameOf))];
    const readings = await Promise.all(
      services.map(service => readSloReadings(prometheus, service)),
    );
    return new Map(services.map((service, i) => [service, readings[i]]));
  }
}

function summarize(slo: Entity, readings: SloReadings): SloSummary {
  const spec = slo.spec as unknown as SloEntitySpec;
  const name = slo.metadata.name;
  const budgets = readings.budgets?.get(name);
  return {
    entityRef: stringifyEntityRef(slo),
    name,
    ...(slo.metadata.title ? { title: slo.metadata.title } : {}),
    service: spec.service,
    objectives: spec.objectives.map(objective => ({
      ...(objective.displayName ? { displayName: objective.displayName } : {}),
      target: objective.target,
      budget: budgets?.get(objectiveLabel(objective.target)) ?? null,
    })),
    window: spec.window,
    budgetingMethod: spec.budgetingMethod,
    source: spec.source,
    ...(spec.rules ? { rules: spec.rules } : {}),
    alerts: readings.alerts ? readings.alerts.get(name) ?? [] : null,
  };
}

/**
 * The `service` label of the SLO's series: the name of the Component it measures (OpenSLO's
 * spec.service, which the processor requires to be the Component's name).
 */
function serviceNameOf(slo: Entity): string {
  const { service } = slo.spec as unknown as SloEntitySpec;
  return parseEntityRef(service, {
    defaultKind: 'component',
    defaultNamespace: slo.metadata.namespace,
  }).name;
}
