import { InputError } from '@backstage/errors';
import { parseRenderInput } from './render.schema';

const values = { name: 'billing-api' };

describe('paver:render input', () => {
  it('accepts a template, answers and an optional nested target folder', () => {
    expect(parseRenderInput({ template: 'billing-service', values })).toEqual({
      template: 'billing-service',
      values,
    });
    expect(
      parseRenderInput({
        template: 'billing-service',
        values,
        targetPath: 'services/billing',
      }).targetPath,
    ).toBe('services/billing');
  });

  it.each([
    ['../outside', 'a parent segment'],
    ['a/../../b', 'a parent segment inside'],
    ['..', 'the parent itself'],
    ['/etc', 'an absolute path'],
    ['a\\..\\b', 'a backslash'],
    ['a\0b', 'a NUL byte'],
    ['', 'an empty path'],
  ])('rejects targetPath %j (%s) naming the field', targetPath => {
    expect(() =>
      parseRenderInput({ template: 'billing-service', values, targetPath }),
    ).toThrow(/^targetPath: must be a relative path inside the workspace$/);
  });

  it('rejects a template name that is not a plain folder name', () => {
    expect(() => parseRenderInput({ template: '../billing', values })).toThrow(
      InputError,
    );
    expect(() => parseRenderInput({ template: '../billing', values })).toThrow(
      /^template: must match/,
    );
  });

  it('rejects answers that are not a mapping', () => {
    expect(() =>
      parseRenderInput({ template: 'billing-service', values: ['x'] }),
    ).toThrow(/^values: /);
  });

  it('rejects keys it does not know, naming them', () => {
    expect(() =>
      parseRenderInput({ template: 'billing-service', values, repoName: 'x' }),
    ).toThrow(/repoName/);
  });
});
