import type { HttpAuthService } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import { SLO_PATH } from '@paver/plugin-paver-common';
import express from 'express';
import type { SloReports } from './sloReports';

/**
 * `GET /api/catalog/paver/slo?entity=<ref>` (SLO_PATH): the SloReport of a Component (its SLOs)
 * or of one SLO entity, for the portal's SLO card, with a user's or a service's token. 404 when
 * the entity is not in the catalog; Prometheus failing is in the report, not a status.
 */
export function createSloRouter(options: {
  httpAuth: HttpAuthService;
  reports: SloReports;
}): express.Router {
  const router = express.Router();
  router.get(SLO_PATH, async (req, res, next) => {
    try {
      const credentials = await options.httpAuth.credentials(req, {
        allow: ['user', 'service'],
      });
      const { entity } = req.query;
      if (typeof entity !== 'string' || entity === '') {
        throw new InputError(
          'entity: give the entity ref, e.g. ?entity=component:default/billing-api',
        );
      }
      res.json(await options.reports.report(entity, credentials));
    } catch (error) {
      next(error);
    }
  });
  return router;
}
