import type {
  HttpAuthService,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import express from 'express';
import { z } from 'zod';
import { GOLDEN_PATHS_PATH } from '@paver/plugin-paver-common';
import { assertPlatformOrService } from '../platformAccess';
import type { GoldenPathFleet } from './goldenPathFleet';

const upgradeBody = z.object({
  version: z
    .string()
    .regex(/^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/, 'must be a semver version'),
});

/**
 * `GET /paver/golden-paths`: every golden path, its releases and its services with their drift,
 * for any signed-in user (`?drift=false`: on GitHub, no clones for drift not yet cached). `POST /paver/golden-paths/:template/upgrades` `{ version }`: opens
 * upgrade pull requests for the template's services, for the platform group and services only,
 * answering NDJSON, one line per service as it finishes, then `{ "done": true, … }`, so the page
 * shows progress while it runs. `POST …/upgrades/:service/merge` and `…/close` `{ version }`
 * merge a conflict-free upgrade branch into main or delete it (on GitHub: merge or close its pull
 * request, then delete the branch), for the same people.
 */
export function createGoldenPathsRouter(options: {
  httpAuth: HttpAuthService;
  userInfo: UserInfoService;
  fleet: GoldenPathFleet;
}): express.Router {
  const router = express.Router();
  router.use(GOLDEN_PATHS_PATH, express.json());
  router.get(GOLDEN_PATHS_PATH, async (req, res, next) => {
    try {
      await options.httpAuth.credentials(req, { allow: ['user', 'service'] });
      // `?drift=false`: on GitHub, clone nothing for drift not cached from an earlier load.
      const drift = req.query.drift !== 'false';
      res.json({ items: await options.fleet.overview({ drift }) });
    } catch (error) {
      next(error);
    }
  });
  router.post(
    `${GOLDEN_PATHS_PATH}/:template/upgrades`,
    async (req, res, next) => {
      try {
        await assertPlatformOrService(
          options,
          req,
          'open upgrade pull requests',
        );
        const { version } = parseUpgradeBody(req.body);
        res.status(200).type('application/x-ndjson');
        const states = await options.fleet.upgrade(
          req.params.template,
          version,
          state => res.write(`${JSON.stringify(state)}\n`),
        );
        const count = (state: string) =>
          states.filter(s => s.state === state).length;
        res.end(
          `${JSON.stringify({
            done: true,
            opened: count('opened'),
            alreadyOpen: count('already-open'),
            upToDate: count('up-to-date'),
            failed: count('failed'),
          })}\n`,
        );
      } catch (error) {
        if (res.headersSent)
          res.end(
            `${JSON.stringify({
              done: false,
              error: (error as Error).message,
            })}\n`,
          );
        else next(error);
      }
    },
  );
  for (const action of ['merge', 'close'] as const) {
    router.post(
      `${GOLDEN_PATHS_PATH}/:template/upgrades/:service/${action}`,
      async (req, res, next) => {
        try {
          await assertPlatformOrService(
            options,
            req,
            `${action} upgrade pull requests`,
          );
          const { version } = parseUpgradeBody(req.body);
          const { template, service } = req.params;
          const done = await options.fleet[action](template, version, service);
          res.json({
            service,
            [action === 'merge' ? 'merged' : 'closed']: true,
            ...(done ?? {}),
          });
        } catch (error) {
          next(error);
        }
      },
    );
  }
  return router;
}

function parseUpgradeBody(body: unknown) {
  const parsed = upgradeBody.safeParse(body);
  if (!parsed.success) {
    throw new InputError(
      `body: ${parsed.error.issues
        .map(i => `${i.path.join('.') || 'body'} ${i.message}`)
        .join('; ')}`,
    );
  }
  return parsed.data;
}
