import type {
  HttpAuthService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import express from 'express';
import type { Knex } from 'knex';
import {
  MAX_PRIORITIZE_REFS,
  prioritizeEntities,
  prioritizeStitching,
  type PrioritizeQueue,
} from './prioritize';

/**
 * Mounted under the catalog plugin: `POST /api/catalog/paver/prioritize`, body
 * `{ entityRefs, queue?: 'processing' | 'stitching' }`; answers `{ queue, prioritized }`.
 */
export const PRIORITIZE_PATH = '/paver/prioritize';

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
        // `queue` echoed: a caller can tell this route from an older one that ignores the field.
        res.json({ queue, prioritized });
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
  if (queue !== 'processing' && queue !== 'stitching') {
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
  return { entityRefs, queue };
}
