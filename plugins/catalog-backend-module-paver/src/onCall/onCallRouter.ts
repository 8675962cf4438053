import type { HttpAuthService } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import { ONCALL_PATH, parseIsoInstant } from '@paver/plugin-paver-common';
import express from 'express';
import type { OnCallReports } from './onCallReports';

/**
 * `GET /api/catalog/paver/oncall?entity=<ref>[&at=<ISO instant>]` (ONCALL_PATH): the entity's
 * OnCallReport, for the portal's On call card and anything else that asks with a user's or a
 * service's token. 404 names what is missing (the entity, its schedule annotation, the schedule).
 */
export function createOnCallRouter(options: {
  httpAuth: HttpAuthService;
  reports: OnCallReports;
}): express.Router {
  const router = express.Router();
  router.get(ONCALL_PATH, async (req, res, next) => {
    try {
      const credentials = await options.httpAuth.credentials(req, {
        allow: ['user', 'service'],
      });
      const { entity, at } = req.query;
      if (typeof entity !== 'string' || entity === '') {
        throw new InputError(
          'entity: give the entity ref, e.g. ?entity=component:default/billing',
        );
      }
      let when = new Date();
      if (at !== undefined) {
        const parsed = typeof at === 'string' ? parseIsoInstant(at) : undefined;
        if (!parsed) {
          throw new InputError(
            `at: "${String(at)}" is not an ISO-8601 instant with an offset`,
          );
        }
        when = parsed;
      }
      res.json(await options.reports.report(entity, when, credentials));
    } catch (error) {
      next(error);
    }
  });
  return router;
}
