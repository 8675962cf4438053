/**
 * Paver's portal plugin for the new frontend system: the Golden paths page and the entity page's
 * Golden path card (template version, releases behind).
 *
 * @packageDocumentation
 */
export { paverPlugin as default } from './plugin';
