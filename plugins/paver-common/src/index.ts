/**
 * What both sides of a Paver contract use, as community-plugins' `*-common` packages hold it.
 *
 * @packageDocumentation
 */
export {};
