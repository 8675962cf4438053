import type { TemplateExample } from '@backstage/plugin-scaffolder-node';
import { parse } from 'yaml';

interface Step {
  action: string;
  input?: Record<string, unknown>;
}

/**
 * The inputs of every step of `actionId` in an action's documented examples, with whole-string
 * `${{ parameters }}`, `${{ parameters.x }}` and `${{ steps['id'].output.x }}` expressions
 * replaced from `context`, the way the scaffolder would before calling the handler.
 */
export function exampleInputs(
  examples: TemplateExample[],
  actionId: string,
  context: {
    parameters?: Record<string, unknown>;
    steps?: Record<string, { output: Record<string, unknown> }>;
  },
): Array<{ description: string; input: Record<string, unknown> }> {
  return examples.flatMap(example => {
    const steps = (parse(example.example) as { steps: Step[] }).steps;
    return steps
      .filter(step => step.action === actionId)
      .map(step => ({
        description: example.description,
        input: substitute(step.input ?? {}, context) as Record<string, unknown>,
      }));
  });
}

function substitute(value: unknown, context: object): unknown {
  if (typeof value === 'string') {
    const match = /^\$\{\{\s*(.+?)\s*\}\}$/.exec(value);
    return match ? lookup(context, match[1]) : value;
  }
  if (Array.isArray(value)) return value.map(v => substitute(v, context));
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, substitute(v, context)]),
    );
  }
  return value;
}

function lookup(context: object, expression: string): unknown {
  const keys = expression.replace(/\[['"]([^'"]+)['"]\]/g, '.$1').split('.');
  let current: unknown = context;
  for (const key of keys) {
    if (
      current === null ||
      typeof current !== 'object' ||
      !Object.hasOwn(current, key)
    ) {
      throw new Error(
        `example expression \${{ ${expression} }} has no value in the test context`,
      );
    }
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}
