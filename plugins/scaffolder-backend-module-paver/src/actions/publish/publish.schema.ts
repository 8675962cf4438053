import { z } from 'zod/v3';
import { RESERVED_NAMES, SERVICE_NAME_PATTERN } from '@paver/golden-path';
import { PUBLISH_PROVIDERS, type PublishProvider } from '../../config';
import { type InferKeys, parseInput } from '../parseInput';

/** An owning Group as an entity ref (`group:default/payments`), as the golden paths ask for it. */
export const GROUP_REF = /^group:[a-z0-9._-]+\/[a-z0-9._-]+$/;
/** One line: a description lands in a git description file, a GitHub field and a commit. */
export const ONE_LINE = /^[^\r\n\0]*$/;

/** `paver:repo:publish` input, one zod builder per key. */
export const publishInput = {
  name: (zod: typeof z) =>
    zod
      .string({ description: 'Repository name: the service name' })
      .regex(SERVICE_NAME_PATTERN, {
        message: `must match ${SERVICE_NAME_PATTERN.source}`,
      })
      .refine(name => !RESERVED_NAMES.includes(name), {
        message: 'is reserved',
      }),
  owner: (zod: typeof z) =>
    zod
      .string({
        description:
          'Owning Group as an entity ref, e.g. group:default/payments',
      })
      .regex(GROUP_REF, {
        message: 'must be a Group entity ref like group:default/payments',
      }),
  description: (zod: typeof z) =>
    zod
      .string({ description: 'One-line repository description' })
      .max(200)
      .regex(ONE_LINE, { message: 'must be one line' })
      .optional(),
  provider: (zod: typeof z) =>
    zod
      .enum(PUBLISH_PROVIDERS as [PublishProvider, ...PublishProvider[]], {
        description:
          'Where to publish. Default: paver.publish.provider (local when unset)',
      })
      .optional(),
};

export const publishOutput = {
  remoteUrl: (zod: typeof z) =>
    zod.string({ description: 'URL to clone the new repository from' }),
  repoContentsUrl: (zod: typeof z) =>
    zod.string({
      description:
        'URL of the repository root the catalog reads files under (ends with /)',
    }),
  catalogInfoUrl: (zod: typeof z) =>
    zod.string({
      description:
        "URL of the repository's catalog-info.yaml, for paver:catalog:register",
    }),
};

/** A `paver:repo:publish` step's input, as validated. */
export type PublishActionInput = InferKeys<typeof publishInput>;

/** Where a published repository is, in the three URLs the next steps need (the step's output). */
export type PublishedRepository = InferKeys<typeof publishOutput>;

export const parsePublishInput = (raw: unknown): PublishActionInput =>
  parseInput(publishInput, raw);
