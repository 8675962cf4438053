/**
 * Paver's portal plugin for the new frontend system: the Golden paths page.
 *
 * @packageDocumentation
 */
export { paverPlugin as default } from './plugin';
