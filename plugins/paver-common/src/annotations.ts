// The `paver.dev/*` catalog annotations that services carry and `paver who-owns` reads. The
// engine's own (`paver.dev/template-version`, `paver.dev/fragments`) stay in @paver/golden-path,
// which must not depend on plugin packages.

/** The on-call rotation; on a Component, or on its owner Group as the fallback. */
export const ONCALL_ANNOTATION = 'paver.dev/oncall';

/** The runbook URL, when no `metadata.links` entry is titled runbook. */
export const RUNBOOK_ANNOTATION = 'paver.dev/runbook';

/** The service's SLO document. */
export const SLO_ANNOTATION = 'paver.dev/slo';

/** The golden path and version a Component was generated from: `billing-service@1.0.0`. */
export const TEMPLATE_ANNOTATION = 'paver.dev/template';

/** Set by the catalog: the newest release of the Component's golden path. */
export const TEMPLATE_LATEST_ANNOTATION = 'paver.dev/template-latest';

/** Set by the catalog: how many releases of its golden path are newer than the Component's. */
export const TEMPLATE_BEHIND_ANNOTATION = 'paver.dev/template-behind';

/** On a schedule Resource: the PagerDuty schedule that answers who is on call in production. */
export const PAGERDUTY_SCHEDULE_ANNOTATION = 'pagerduty.com/schedule-id';

/** On a schedule Resource: the PagerDuty escalation policy whose levels the portal shows. */
export const PAGERDUTY_ESCALATION_POLICY_ANNOTATION =
  'pagerduty.com/escalation-policy-id';
