import type { SloAlert } from '@paver/plugin-paver-common';
import { sloEntityName } from '../processors/sloEntities';
import { PrometheusError, type PrometheusApi } from './prometheusApi';

/**
 * What Prometheus says about one service's SLOs, keyed by SLO entity name. A map is missing when
 * its query failed; `error` then says why.
 */
export interface SloReadings {
  /** SLO entity name → objective label (`0.999`) → budget remaining. */
  budgets?: Map<string, Map<string, number>>;
  /** SLO entity name → the burn alerts firing now. */
  alerts?: Map<string, SloAlert[]>;
  error?: string;
}

/**
 * The objective label the generated rules put on an objective's series (`String(target)` in
 * @paver/slo's rules.ts), which is how a budget is matched to its objective.
 */
export function objectiveLabel(target: number): string {
  return String(target);
}

/**
 * The SLO entity a series is about, from its `slo` and `service` labels: the catalog names an SLO
 * entity after its OpenSLO name, prefixed with the Component's name unless it already starts
 * with it (sloEntities.ts), so `availability` of billing-api is `billing-api-availability`.
 */
export function sloEntityNameOf(labels: Record<string, string>): string {
  return sloEntityName(labels.slo ?? '', labels.service ?? '');
}

/**
 * Reads a service's error budgets (`slo:error_budget_remaining:ratio`) and firing burn alerts
 * (`ALERTS`) from Prometheus: two queries for all of its SLOs, selected by the `service` label
 * the generated rules put on every series. Never throws: a failed query leaves its map out.
 */
export async function readSloReadings(
  prometheus: Pick<PrometheusApi, 'query'>,
  service: string,
): Promise<SloReadings> {
  const selector = `service=${promString(service)}`;
  const [budgets, alerts] = await Promise.allSettled([
    prometheus.query(`slo:error_budget_remaining:ratio{${selector}}`),
    prometheus.query(`ALERTS{${selector},alertstate="firing"}`),
  ]);
  const readings: SloReadings = {};
  if (budgets.status === 'fulfilled') {
    readings.budgets = new Map();
    for (const { labels, value } of budgets.value) {
      // NaN: no 5 m samples in the window yet; the budget is unknown, not 0.
      if (!Number.isFinite(value) || labels.objective === undefined) continue;
      const name = sloEntityNameOf(labels);
      const byObjective = readings.budgets.get(name) ?? new Map();
      byObjective.set(labels.objective, value);
      readings.budgets.set(name, byObjective);
    }
  }
  if (alerts.status === 'fulfilled') {
    readings.alerts = new Map();
    for (const { labels } of alerts.value) {
      const name = sloEntityNameOf(labels);
      readings.alerts.set(name, [
        ...(readings.alerts.get(name) ?? []),
        alertOf(labels),
      ]);
    }
  }
  const failure = [budgets, alerts].find(r => r.status === 'rejected');
  if (failure) readings.error = messageOf(failure.reason);
  return readings;
}

function alertOf(labels: Record<string, string>): SloAlert {
  return {
    name: labels.alertname,
    ...(labels.severity ? { severity: labels.severity } : {}),
    ...(labels.objective ? { objective: labels.objective } : {}),
  };
}

function messageOf(error: unknown): string {
  if (error instanceof PrometheusError) return error.message;
  return `Prometheus could not be read: ${String(error)}`;
}

/** A PromQL string literal: the escapes JSON.stringify writes are Go's too, which PromQL takes. */
function promString(value: string): string {
  return JSON.stringify(value);
}
