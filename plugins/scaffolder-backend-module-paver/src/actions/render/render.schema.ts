import { z } from 'zod/v3';
import { type InferKeys, parseInput } from '../parseInput';

/** A golden path's folder name under the templates folder (the engine's own rule). */
export const TEMPLATE_NAME = /^[a-z0-9][a-z0-9._-]*$/;
/** Relative, no `..` segment, no backslash or NUL: stays inside the workspace before links. */
export const SAFE_RELATIVE_PATH = /^(?!\/)(?!.*(?:^|\/)\.\.(?:\/|$))[^\\\0]+$/;

/** `paver:render` input, one zod builder per key (Backstage turns these into JSON Schema). */
export const renderInput = {
  template: (zod: typeof z) =>
    zod
      .string({
        description:
          'Golden path to render: a folder name under paver.templates.dir',
      })
      .regex(TEMPLATE_NAME, {
        message: `must match ${TEMPLATE_NAME.source}`,
      }),
  values: (zod: typeof z) =>
    zod.record(zod.unknown(), {
      description:
        "The form's answers, usually `${{ parameters }}`; validated against the template's parameters",
    }),
  targetPath: (zod: typeof z) =>
    zod
      .string({
        description:
          'Folder inside the workspace to render into. Default: the workspace itself',
      })
      .regex(SAFE_RELATIVE_PATH, {
        message: 'must be a relative path inside the workspace',
      })
      .optional(),
};

export const renderOutput = {
  files: (zod: typeof z) =>
    zod.number({
      description: 'How many files were rendered (or would be, in a dry run)',
    }),
  templateVersion: (zod: typeof z) =>
    zod.string({
      description: "The golden path's version, recorded in .paver/answers.yaml",
    }),
};

/** A `paver:render` step's input, as validated. */
export type RenderInput = InferKeys<typeof renderInput>;

/** Validates raw step input; an InputError names the first bad key. */
export const parseRenderInput = (raw: unknown): RenderInput =>
  parseInput(renderInput, raw);
