/**
 * The catalog module's prioritize route, below the catalog's base URL:
 * `POST /api/catalog/paver/prioritize`. The scaffolder's register action calls it; the catalog
 * module (`@paver/plugin-catalog-backend-module-paver`) serves it.
 */
export const PRIORITIZE_PATH = '/paver/prioritize';

/** At most this many refs per request: a task names its location and its entity, nothing more. */
export const MAX_PRIORITIZE_REFS = 20;

/** The two queues a new entity passes through before the catalog serves it. */
export const PRIORITIZE_QUEUES = ['processing', 'stitching'] as const;

/**
 * `processing`: the entities' refresh_state rows. `stitching`: the stitch_queue rows of entities
 * already processed, so they are written to final_entities (served) next.
 */
export type PrioritizeQueue = (typeof PRIORITIZE_QUEUES)[number];

/** The body of a prioritize request. */
export interface PrioritizeRequest {
  entityRefs: string[];
  /** @default 'processing' */
  queue?: PrioritizeQueue;
}

/** The route's answer: the refs it found and moved, as the catalog stores them. */
export interface PrioritizeResponse {
  /** Echoed, so a caller can tell this route from an older one that ignored the field. */
  queue: PrioritizeQueue;
  prioritized: string[];
}
