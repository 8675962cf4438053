import type {
  HttpAuthService,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import express from 'express';
import { assertPlatformOrService } from '../platformAccess';
import type { ReconcileReport } from './reconcile';

/** Below the scaffolder's base URL: `POST /api/scaffolder/paver/reconcile`. */
export const RECONCILE_ROUTE = '/paver/reconcile';

/**
 * Runs the reconciler on demand and answers its report as JSON. Allowed to other backends and
 * services (a service principal, as the catalog module's prioritize route allows) and to users
 * whose sign-in claims include `group:default/platform`; anyone else gets 403, and a request
 * without credentials never gets here (the plugin's default auth policy answers 401). POST only;
 * every other request is left to the scaffolder.
 */
export function createReconcileRouter(options: {
  httpAuth: HttpAuthService;
  userInfo: UserInfoService;
  run: () => Promise<ReconcileReport>;
}): express.Router {
  const router = express.Router();
  router.post(RECONCILE_ROUTE, async (req, res, next) => {
    try {
      await assertPlatformOrService(options, req, 'run the reconciler');
      res.json(await options.run());
    } catch (error) {
      next(error);
    }
  });
  return router;
}
