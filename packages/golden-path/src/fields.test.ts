import { describeFields, validateField, coerceFieldValue } from './fields';
import { loadTemplate } from './template';
import { makeFixture } from './__testUtils__/fixtures';

const template = () =>
  loadTemplate(
    makeFixture({
      parametersYaml: `
  parameters:
    - required: [name]
      properties:
        name: { type: string, title: Service name, pattern: '^[a-z][a-z0-9-]{1,38}[a-z0-9]$' }
        lifecycle: { type: string, enum: [experimental, production], default: experimental }
    - properties:
        public: { type: boolean, default: false }
        replicas: { type: integer }
        token: { type: string, ui:widget: password }
        tags: { type: array, items: { type: string } }`,
    }).dir,
  );

describe('describeFields', () => {
  it('derives one prompt per scalar field in page order, with kinds, defaults and secrets', () => {
    expect(describeFields(template())).toEqual([
      {
        name: 'name',
        kind: 'input',
        type: 'string',
        message: 'Service name',
        required: true,
        secret: false,
      },
      {
        name: 'lifecycle',
        kind: 'select',
        type: 'string',
        message: 'lifecycle',
        required: false,
        secret: false,
        default: 'experimental',
        choices: ['experimental', 'production'],
      },
      {
        name: 'public',
        kind: 'confirm',
        type: 'boolean',
        message: 'public',
        required: false,
        secret: false,
        default: false,
      },
      {
        name: 'replicas',
        kind: 'input',
        type: 'integer',
        message: 'replicas',
        required: false,
        secret: false,
      },
      {
        name: 'token',
        kind: 'input',
        type: 'string',
        message: 'token',
        required: false,
        secret: true,
      },
    ]);
  });
});

describe('validateField', () => {
  it('reports only that field, with the engine rules', () => {
    const t = template();
    expect(validateField(t, 'name', 'Bad Name')).toMatch(/must match/);
    expect(validateField(t, 'name', 'admin')).toBe('"admin" is reserved');
    expect(validateField(t, 'name', 'billing-api')).toBeUndefined();
    expect(validateField(t, 'lifecycle', 'forever')).toMatch(/must be one of/);
  });
});

describe('coerceFieldValue', () => {
  it('turns text into the declared type and leaves the rest as text', () => {
    const t = template();
    expect(coerceFieldValue(t, 'public', 'true')).toBe(true);
    expect(coerceFieldValue(t, 'replicas', '3')).toBe(3);
    expect(coerceFieldValue(t, 'replicas', 'many')).toBe('many');
    expect(coerceFieldValue(t, 'name', '123')).toBe('123');
    expect(coerceFieldValue(t, 'unknown', 'x')).toBe('x');
  });
});
