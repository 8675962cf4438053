import type { HttpAuthService, LoggerService } from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import express from 'express';
import type { Knex } from 'knex';
import { MAX_PRIORITIZE_REFS, prioritizeEntities } from './prioritize';

/** Mounted under the catalog plugin: `POST /api/catalog/paver/prioritize`. */
export const PRIORITIZE_PATH = '/paver/prioritize';

export function createPrioritizeRouter(options: {
  httpAuth: HttpAuthService;
  logger: LoggerService;
  database: () => Promise<Knex>;
}): express.Router {
  const router = express.Router();
  router.post(PRIORITIZE_PATH, express.json({ limit: '16kb' }), async (req, res, next) => {
    try {
      // Other backend plugins only (the scaffolder's register action); never a user's browser.
      const credentials = await options.httpAuth.credentials(req, { allow: ['service'] });
      const entityRefs = parseBody(req.body);
      const prioritized = await prioritizeEntities(await options.database(), entityRefs);
      options.logger.info(
        `Prioritized ${prioritized.length ? prioritized.join(', ') : 'nothing'} for ${credentials.principal.subject}`,
      );
      res.json({ prioritized });
    } catch (error) {
      next(error);
    }
  });
  return router;
}

function parseBody(body: unknown): string[] {
  const refs = (body as { entityRefs?: unknown } | undefined)?.entityRefs;
  if (!Array.isArray(refs) || refs.some(r => typeof r !== 'string' || r.length === 0 || r.length > 512)) {
    throw new InputError('entityRefs: must be an array of entity refs');
  }
  if (refs.length > MAX_PRIORITIZE_REFS) {
    throw new InputError(`entityRefs: at most ${MAX_PRIORITIZE_REFS}`);
  }
  return [
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
}
