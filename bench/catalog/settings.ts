// The two catalog settings the bench compares, each a config overlay applied over app-config.yaml
// (whose catalog block sets only rules and locations, as app-config.production.yaml's does).

export interface Setting {
  id: 'stock' | 'paver' | 'diagnostic';
  label: string;
  /** Applied last, over app-config.yaml and the bench's own overrides. */
  overlay: Record<string, unknown>;
  /** What the overlay sets, for the report. */
  describe: string;
}

/** Backstage 1.55's defaults: nothing under `catalog` beyond rules and locations. */
export const STOCK: Setting = {
  id: 'stock',
  label: 'stock',
  overlay: {},
  describe:
    'Backstage 1.55 defaults (app-config.yaml sets no catalog tuning): processingInterval 100–150 s, stitchingStrategy pollingInterval 1 s / stitchTimeout 60 s (stitching is always deferred in catalog-backend 4.0), engine concurrency 5–10 entities in flight (hard-coded), stitcher 2–5 in flight (hard-coded), knex pool 0–10',
};

/** What a platform team running a large catalog sets; see the report for each key's trade-off. */
export const PAVER: Setting = {
  id: 'paver',
  label: 'Paver',
  overlay: {
    catalog: {
      processingInterval: { minutes: 30 },
    },
  },
  describe: 'catalog.processingInterval: { minutes: 30 }',
};

/**
 * Not a setting to adopt: Paver's settings with Paver's own on-call rules processor switched off,
 * to measure what its catalog lookups (one loopback catalog API call per owner and schedule ref,
 * per entity, per processing) cost the ingestion. Run with --diagnose.
 */
export const DIAGNOSTIC: Setting = {
  id: 'diagnostic',
  label: 'Paver without PaverOnCallRulesProcessor (diagnostic)',
  overlay: {
    catalog: {
      ...(PAVER.overlay.catalog as Record<string, unknown>),
      processorOptions: { PaverOnCallRulesProcessor: { disabled: true } },
    },
  },
  describe: `${PAVER.describe}, and catalog.processorOptions.PaverOnCallRulesProcessor.disabled: true (a diagnostic: the on-call rules are Paver's, not optional)`,
};

export const SETTINGS = [STOCK, PAVER] as const;
