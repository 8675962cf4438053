import { NotFoundError } from '@backstage/errors';
import type express from 'express';

/**
 * For the read-only routes (the local git remote's files, the @paver registry): a path segment
 * Express cannot decode (`%zz`) names nothing, so it is not found like any other missing thing,
 * not a server error.
 */
export const malformedPathIsNotFound: express.ErrorRequestHandler = (
  error,
  _req,
  _res,
  next,
) =>
  next(
    error instanceof URIError
      ? new NotFoundError('malformed path in the request')
      : error,
  );
