import fs from 'node:fs/promises';
import {
  resolveSafeChildPath,
  type HttpRouterService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError, NotFoundError } from '@backstage/errors';
import { SERVICE_NAME_PATTERN } from '@paver/golden-path';
import express from 'express';
import { malformedPathIsNotFound } from '../malformedPath';
import type { LocalRepositories } from './localRepositories';

/** Below the scaffolder's base URL: `<base>/paver/repos/<name>/contents/<path>`. */
export const REPO_CONTENTS_ROUTE = '/paver/repos';

/** The URL the catalog reads a local repository's files from (ends with `/`). */
export function repoContentsUrl(
  scaffolderBaseUrl: string,
  name: string,
): string {
  return `${scaffolderBaseUrl}${REPO_CONTENTS_ROUTE}/${encodeURIComponent(
    name,
  )}/contents/`;
}

/**
 * Serves the read-only checkouts of the local provider over HTTP, so the catalog registers them as
 * ordinary `url` locations: the catalog's location API accepts only `url` by default, and a `file`
 * location cannot resolve the relative `$text: ./openapi.yaml` of a generated API entity. Files
 * only, never `.git`, never through a link that leaves the checkout. GET (and so HEAD) only;
 * every other request is left to the scaffolder.
 */
export function createRepoContentsRouter(
  repos: LocalRepositories,
): express.Router {
  const router = express.Router();
  router.get(
    `${REPO_CONTENTS_ROUTE}/:name/contents/:path(.+)`,
    async (req, res, next) => {
      try {
        // Express has decoded both: an encoded `../` arrives as `../` and is refused below.
        const file = await resolveCheckoutFile(
          repos,
          req.params.name,
          req.params.path,
        );
        // Plain text whatever the name says: a browser must never run a generated file as a page.
        res.setHeader('content-type', 'text/plain; charset=utf-8');
        res.setHeader('x-content-type-options', 'nosniff');
        res.send(await fs.readFile(file));
      } catch (error) {
        next(error);
      }
    },
  );
  router.use(malformedPathIsNotFound);
  return router;
}

/**
 * Mounts the checkouts route on the scaffolder's router. Unauthenticated because the catalog's URL
 * reader sends no token; only the local provider mounts it.
 */
export function installRepoContents(
  httpRouter: HttpRouterService,
  repos: LocalRepositories,
): void {
  httpRouter.use(createRepoContentsRouter(repos));
  httpRouter.addAuthPolicy({
    path: REPO_CONTENTS_ROUTE,
    allow: 'unauthenticated',
  });
}

/** The absolute file for `relPath` in a checkout; NotAllowedError when it would leave it. */
export async function resolveCheckoutFile(
  repos: LocalRepositories,
  name: string,
  relPath: string,
): Promise<string> {
  if (!SERVICE_NAME_PATTERN.test(name))
    throw new NotFoundError(`no repository "${name}"`);
  if (relPath.includes('\0') || relPath.split(/[\\/]/).includes('.git')) {
    throw new NotAllowedError(`path ${JSON.stringify(relPath)} is not served`);
  }
  // Backstage's resolveSafeChildPath follows links, so a link inside the checkout that points
  // out of it (or a chain of them) is refused like a literal `../`.
  const file = resolveSafeChildPath(repos.checkoutPath(name), relPath);
  const stat = await fs.stat(file).catch(() => undefined);
  if (!stat?.isFile())
    throw new NotFoundError(`no file ${relPath} in repository "${name}"`);
  return file;
}
