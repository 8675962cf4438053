import { z } from 'zod/v3';
import { InputError } from '@backstage/errors';

type KeyBuilders = Record<string, (zod: typeof z) => z.ZodTypeAny>;

/** The type an action's per-key builders validate to: `z.infer` of the object they make. */
export type InferKeys<B extends KeyBuilders> = z.infer<
  z.ZodObject<{ [K in keyof B]: ReturnType<B[K]> }, 'strict'>
>;

/**
 * The builders as `createTemplateAction` takes them. Backstage's scaffolder-node types them with
 * its own zod copy (4.x's `zod/v3`), ours is zod 3's `zod/v3`: the same runtime API under
 * different nominal types. Handlers type their input from {@link parseInput}, so nothing typed is
 * lost by widening here.
 */
export function forScaffolder(
  builders: KeyBuilders,
): Record<string, (zImpl: any) => any> {
  return builders;
}

/**
 * Runs an action's per-key zod builders over raw input. The scaffolder validates steps only
 * against the JSON Schema made from them, which drops refinements, and a handler called directly
 * (tests, other actions) gets no validation at all; handlers call this first. Strict, like the
 * scaffolder's own check: a misspelt key is an error, not silently ignored.
 */
export function parseInput<B extends KeyBuilders>(
  builders: B,
  raw: unknown,
): InferKeys<B> {
  const schema = z
    .object(
      Object.fromEntries(
        Object.entries(builders).map(([k, build]) => [k, build(z)]),
      ),
    )
    .strict();
  const result = schema.safeParse(raw);
  // The object is built from `builders` key by key, so its output is InferKeys<B>; zod cannot
  // follow the mapping through Object.fromEntries.
  if (result.success) return result.data as InferKeys<B>;
  const issue = result.error.issues[0];
  const field = issue.path.join('.') || 'input';
  throw new InputError(`${field}: ${issue.message}`);
}
