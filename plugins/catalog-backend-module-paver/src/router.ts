import type {
  HttpAuthService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import {
  MAX_PRIORITIZE_REFS,
  PRIORITIZE_PATH,
  PRIORITIZE_QUEUES,
  type PrioritizeQueue,
  type PrioritizeResponse,
} from '@paver/plugin-paver-common';
import express from 'express';
import type { Knex } from 'knex';
import { prioritizeEntities, prioritizeStitching } from './prioritizeRows';

/**
 * Mounted under the catalog plugin: `POST /api/catalog/paver/prioritize` (PRIORITIZE_PATH), body
 * a PrioritizeRequest; answers a PrioritizeResponse. Both shapes live in @paver/plugin-paver-common.
 */
export function createPrioritizeRouter(options: {
  httpAuth: HttpAuthService;
  logger: LoggerService;
  database: () => Promise<Knex>;
}): express.Router {
  const router = express.Router();
  router.post(
    PRIORITIZE_PATH,
    express.json({ limit: '16kb' }),
    async (req, res, next) => {
      try {
        // Other backend plugins only (the scaffolder's register action); never a user's browser.
        const credentials = await options.httpAuth.credentials(req, {
          allow: ['service'],
        });
        const { entityRefs, queue } = parseBody(req.body);
        const knex = await options.database();
        const prioritized =
          queue === 'stitching'
            ? await prioritizeStitching(knex, entityRefs)
            : await prioritizeEntities(knex, entityRefs);
        if (prioritized.length > 0) {
          options.logger.info(
            `Prioritized ${prioritized.join(', ')} (${queue}) for ${
              credentials.principal.subject
            }`,
          );
        }
        const response: PrioritizeResponse = { queue, prioritized };
        res.json(response);
      } catch (error) {
        next(error);
      }
    },
  );
  return router;
}

function parseBody(body: unknown): {
  entityRefs: string[];
  queue: PrioritizeQueue;
} {
  const queue =
    (body as { queue?: unknown } | undefined)?.queue ?? 'processing';
  if (!PRIORITIZE_QUEUES.includes(queue as PrioritizeQueue)) {
    throw new InputError(
      'queue: must be "processing" (the default) or "stitching"',
    );
  }
  const refs = (body as { entityRefs?: unknown } | undefined)?.entityRefs;
  if (
    !Array.isArray(refs) ||
    refs.some(r => typeof r !== 'string' || r.length === 0 || r.length > 512)
  ) {
    throw new InputError('entityRefs: must be an array of entity refs');
  }
  if (refs.length > MAX_PRIORITIZE_REFS) {
    throw new InputError(`entityRefs: at most ${MAX_PRIORITIZE_REFS}`);
  }
  const entityRefs = [
    ...new Set(
      refs.map(ref => {
        try {
          return stringifyEntityRef(parseEntityRef(ref as string));
        } catch {
          throw new InputError(`entityRefs: not an entity ref: ${ref}`);
        }
      }),
    ),
  ];
  return { entityRefs, queue: queue as PrioritizeQueue };
}
