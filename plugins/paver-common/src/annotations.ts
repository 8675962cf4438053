// The `paver.dev/*` catalog annotations that services carry and `paver who-owns` reads. The
// engine's own (`paver.dev/template-version`, `paver.dev/fragments`) stay in @paver/golden-path,
// which must not depend on plugin packages.

/** The on-call rotation; on a Component, or on its owner Group as the fallback. */
export const ONCALL_ANNOTATION = 'paver.dev/oncall';

/** The runbook URL, when no `metadata.links` entry is titled runbook. */
export const RUNBOOK_ANNOTATION = 'paver.dev/runbook';

/** The service's SLO document. */
export const SLO_ANNOTATION = 'paver.dev/slo';
