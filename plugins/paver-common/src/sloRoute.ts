// The contract of the catalog module's SLO route, read by the portal's SLO card.

/** `GET /api/catalog` + this + `?entity=<ref>`: the SLOs of a Component (or one SLO entity). */
export const SLO_PATH = '/paver/slo';

/** One objective of an SLO and, when Prometheus answered, how much of its error budget is left. */
export interface SloObjectiveReport {
  displayName?: string;
  /** The target as a ratio: 0.999 for 99.9 %. */
  target: number;
  /**
   * The share of the window's error budget still unspent, Prometheus'
   * `slo:error_budget_remaining:ratio`: 1 untouched, 0 spent, below 0 overspent. Null when no
   * Prometheus is configured, it did not answer (see `prometheusError`), or it has no value for
   * this objective (the SLO's rules are not loaded, or nothing was measured yet).
   */
  budget: number | null;
}

/** A burn-rate alert firing now for an SLO (a series of Prometheus' `ALERTS`). */
export interface SloAlert {
  /** `SloErrorBudgetBurnPage` or `SloErrorBudgetBurnTicket` for the generated rules. */
  name: string;
  severity?: string;
  /** The objective the alert watches, as the rules label it (`0.999`). */
  objective?: string;
}

/** One SLO entity, as the card shows it. */
export interface SloSummary {
  /** The SLO entity's ref, `slo:default/billing-api-availability`. */
  entityRef: string;
  /** The SLO entity's name, `billing-api-availability`. */
  name: string;
  title?: string;
  /** The Component it measures. */
  service: string;
  objectives: SloObjectiveReport[];
  window: { duration: string; rolling: boolean };
  budgetingMethod: string;
  /** Where the SLO is declared (its slo.yaml). */
  source: string;
  /** The Prometheus rules generated from it (slo-rules.yaml). */
  rules?: string;
  /** The alerts firing now; null when Prometheus was not asked or did not answer. */
  alerts: SloAlert[] | null;
}

/** What the SLO route answers. */
export interface SloReport {
  /** The entity asked about. */
  entityRef: string;
  /** Whether `paver.slo.prometheus.baseUrl` is set: without it there are no budgets or alerts. */
  prometheusConfigured: boolean;
  /** Why budgets and alerts are missing although Prometheus is configured (down, slow, refused). */
  prometheusError?: string;
  slos: SloSummary[];
}
