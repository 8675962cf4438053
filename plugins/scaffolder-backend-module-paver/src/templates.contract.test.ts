import fs from 'node:fs';
import path from 'node:path';
import { findTemplateDirs } from '@paver/golden-path';
import { parse } from 'yaml';
import { parsePublishInput } from './actions/publish/publish.schema';
import { parseRegisterInput } from './actions/register/register.schema';
import { parseRenderInput } from './actions/render/render.schema';

const TEMPLATES = path.resolve(__dirname, '../../../templates');
const parsers: Record<string, (input: unknown) => unknown> = {
  'paver:render': parseRenderInput,
  'paver:repo:publish': parsePublishInput,
  'paver:catalog:register': parseRegisterInput,
};

// Stand-ins for ${{ }} expressions, shaped like the values they take at run time.
function sample(value: unknown): unknown {
  if (typeof value === 'string' && value.includes('${{')) {
    if (/^\$\{\{\s*parameters\s*\}\}$/.test(value))
      return { name: 'billing-api' };
    if (/catalogInfoUrl|repoContentsUrl|remoteUrl/.test(value))
      return 'http://localhost:7007/x/catalog-info.yaml';
    if (/parameters\.owner/.test(value)) return 'group:default/payments';
    return 'billing-api';
  }
  return value;
}

describe.each(
  findTemplateDirs(TEMPLATES).map(dir => [path.basename(dir), dir]),
)('the %s golden path', (_name, dir) => {
  const template = parse(
    fs.readFileSync(path.join(dir, 'template.yaml'), 'utf8'),
  );
  const steps: Array<{
    id: string;
    action: string;
    input?: Record<string, unknown>;
  }> = template.spec.steps;

  it('renders, publishes and registers with the Paver actions, in that order', () => {
    expect(steps.map(s => s.action)).toEqual([
      'paver:render',
      'paver:repo:publish',
      'paver:catalog:register',
    ]);
  });

  it.each(Object.keys(parsers))(
    'gives %s exactly the inputs it accepts',
    action => {
      const step = steps.find(s => s.action === action)!;
      const input = Object.fromEntries(
        Object.entries(step.input ?? {}).map(([k, v]) => [k, sample(v)]),
      );
      expect(() => parsers[action](input)).not.toThrow();
    },
  );
});
