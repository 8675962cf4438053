/**
 * Paver's portal plugin for the new frontend system: the Golden paths page, the entity page's On
 * call card (who is on call now and next, escalation, owning team, runbook) and Golden path card
 * (template version, releases behind), and an on-call home page (disabled by default).
 *
 * @packageDocumentation
 */
export { paverPlugin as default } from './plugin';
