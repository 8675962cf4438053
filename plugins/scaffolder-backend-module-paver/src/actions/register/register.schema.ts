import { z } from 'zod/v3';
import { type InferKeys, parseInput } from '../parseInput';

/** An absolute http(s) URL: the catalog registers `url` locations only. */
export const HTTP_URL = /^https?:\/\/[^\s/?#]+[^\s]*$/;

/** `paver:catalog:register` input, one zod builder per key. */
export const registerInput = {
  catalogInfoUrl: (zod: typeof z) =>
    zod
      .string({
        description:
          "URL of the new repository's catalog-info.yaml, e.g. paver:repo:publish's catalogInfoUrl output",
      })
      .regex(HTTP_URL, { message: 'must be an absolute http(s) URL' }),
};

export const registerOutput = {
  entityRef: (zod: typeof z) =>
    zod.string({
      description:
        'The registered Component (or first entity) as an entity ref',
    }),
};

/** A `paver:catalog:register` step's input, as validated. */
export type RegisterInput = InferKeys<typeof registerInput>;

export const parseRegisterInput = (raw: unknown): RegisterInput =>
  parseInput(registerInput, raw);
